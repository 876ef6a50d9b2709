package io.ved.tooling.replay;

import io.ved.api.DomainDefinition;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.MessageCodec;
import io.ved.runtime.Replayer;
import io.ved.runtime.deadletter.DeadLetter;
import io.ved.runtime.deadletter.DeadLetterHeaders;
import io.ved.runtime.storm.Quarantine;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import io.ved.tooling.inspect.KeyPartition;
import io.ved.tooling.inspect.LogScanner;
import io.ved.runtime.StateReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads what a replay of one domain type needs from the cluster, committed records only: the instances'
 * messages from the inbox, their state versions from the state store's changelog (partition for partition:
 * the task of inbox partition p writes changelog partition p), the dead letters, the quarantined messages, and
 * how far the application has handled each inbox partition. Then replays one instance ({@link #instance}) or all of them ({@link #all}).
 */
public final class DomainReplay<S extends SpecificRecord> {
    private final LogScanner scanner;
    private final Admin admin;
    private final TopologyFile file;
    private final DomainDefinition<S> domain;
    private final MessageCodec codec;
    private final Replayer<S> replayer;
    private final DomainTopic inbox;

    public DomainReplay(LogScanner scanner, Admin admin, TopologyFile file, Replayer<S> replayer, MessageCodec codec) {
        this.scanner = scanner;
        this.admin = admin;
        this.file = file;
        this.domain = replayer.domain();
        this.codec = codec;
        this.replayer = replayer;
        this.inbox = file.require(domain.type());
    }

    /** Where to start and stop, per partition: each an offset, or a time (epoch millis) resolved to an offset. */
    public record Range(Optional<Bound> from, Optional<Bound> to) {
        public static final Range ALL = new Range(Optional.empty(), Optional.empty());
    }

    /** An offset, or a point in time. */
    public record Bound(boolean isTime, long value) {
        public static Bound offset(long offset) {
            return new Bound(false, offset);
        }

        public static Bound time(long epochMillis) {
            return new Bound(true, epochMillis);
        }
    }

    /** The partition of one instance and its offsets in it. */
    public record Where(TopicPartition partition, long from, long toExclusive, long logStart, long logEnd) {
    }

    public String inboxTopic() {
        return inbox.topic();
    }

    /** Replays one instance, telling {@code onStep} of each step as it goes. */
    public InstanceReplay.Result<S> instance(String id, Range range, Optional<S> start, Consumer<Where> onStart,
                                             Consumer<InstanceReplay.StepResult<S>> onStep)
            throws TimeoutException, ExecutionException, InterruptedException {
        int partitions = requirePartitions(inbox.topic());
        TopicPartition tp = new TopicPartition(inbox.topic(), KeyPartition.of(id, partitions));
        Where where = where(tp, range);
        byte[] key = id.getBytes(StandardCharsets.UTF_8);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        scanner.scan(List.of(tp), Map.of(), Map.of(), r -> {
            if (r.key() != null && Arrays.equals(r.key(), key)) {
                records.add(r);
            }
        });
        if (records.stream().noneMatch(r -> r.offset() >= where.from() && r.offset() < where.toExclusive())) {
            throw new NothingToReplayException(domain.type().ref(id) + " has no message in " + tp.topic() + " partition "
                    + tp.partition() + (records.isEmpty() ? " (offsets " + where.logStart() + " to " + where.logEnd()
                    + "): is the id right? Messages older than the topic's retention are gone"
                    : " between offsets " + where.from() + " and " + where.toExclusive()
                    + " (it has " + records.size() + " elsewhere in the partition)"));
        }
        onStart.accept(where);
        long committed = committed().getOrDefault(tp, -1L);
        Map<String, List<S>> versions = versions(tp.partition(), key);
        Map<Long, DeadLetter> dead = deadLetters(Optional.of(key)).getOrDefault(tp.partition(), Map.of());
        Map<Long, String> quarantined = quarantined(Optional.of(key)).getOrDefault(tp.partition(), Map.of());
        boolean moved = committed().getOrDefault(tp, -1L) != committed;
        InstanceReplay.Live<S> live = new InstanceReplay.Live<>(versions.getOrDefault(id, List.of()), dead, quarantined, committed);
        InstanceReplay.Result<S> result = InstanceReplay.run(replayer, id, records, where.from(), where.toExclusive(),
                start.orElseGet(() -> replayer.initialState(id)), start.isPresent(), live, onStep);
        if (moved) {
            result.notes().add("the application handled messages of partition " + tp.partition()
                    + " while the replay read its history, so the comparison may be off by those: run it again for an exact one");
        }
        return result;
    }

    /** Progress of {@link #all}: messages replayed of the total in range, instances done, instances diverging. */
    public record Progress(long messages, long total, int instances, int diverging) {
        public int percent() {
            return total == 0 ? 100 : (int) Math.min(100, messages * 100 / total);
        }
    }

    /** The outcome of {@link #all}. */
    public record Summary(int instances, long messages, long wouldFail, List<InstanceReplay.Result<?>> diverging,
                          long withoutKey, int partitions) {
    }

    /** Replays every instance of the domain type, partition by partition; {@code onProgress} after each instance. */
    public Summary all(Range range, Consumer<Progress> onProgress)
            throws TimeoutException, ExecutionException, InterruptedException {
        int partitions = requirePartitions(inbox.topic());
        List<Where> wheres = new ArrayList<>();
        for (TopicPartition tp : scanner.partitionsOf(inbox.topic())) {
            wheres.add(where(tp, range));
        }
        // Offsets overcount messages (transaction markers take offsets too): each partition's span stands in for
        // its count until the partition is read.
        long[] counts = wheres.stream().mapToLong(w -> Math.max(0, w.toExclusive() - w.from())).toArray();
        Map<TopicPartition, Long> committed = committed();
        Map<Integer, Map<Long, DeadLetter>> dead = deadLetters(Optional.empty());
        Map<Integer, Map<Long, String>> quarantined = quarantined(Optional.empty());
        long messages = 0;
        long wouldFail = 0;
        long withoutKey = 0;
        int instances = 0;
        List<InstanceReplay.Result<?>> diverging = new ArrayList<>();
        for (int index = 0; index < wheres.size(); index++) {
            Where where = wheres.get(index);
            TopicPartition tp = where.partition();
            Map<String, List<ConsumerRecord<byte[], byte[]>>> byKey = new LinkedHashMap<>();
            long[] keyless = {0};
            scanner.scan(List.of(tp), Map.of(), Map.of(), r -> {
                if (r.key() == null || r.key().length == 0) {
                    if (r.offset() >= where.from() && r.offset() < where.toExclusive()) {
                        keyless[0]++;
                    }
                    return;
                }
                byKey.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>()).add(r);
            });
            withoutKey += keyless[0];
            messages += keyless[0];
            counts[index] = keyless[0] + byKey.values().stream().flatMap(List::stream)
                    .filter(r -> r.offset() >= where.from() && r.offset() < where.toExclusive()).count();
            long total = java.util.Arrays.stream(counts).sum();
            Map<String, List<S>> versions = versions(tp.partition(), null);
            for (Map.Entry<String, List<ConsumerRecord<byte[], byte[]>>> e : byKey.entrySet()) {
                String id = e.getKey();
                if (e.getValue().stream().noneMatch(r -> r.offset() >= where.from() && r.offset() < where.toExclusive())) {
                    continue;
                }
                InstanceReplay.Live<S> live = new InstanceReplay.Live<>(versions.getOrDefault(id, List.of()),
                        dead.getOrDefault(tp.partition(), Map.of()), quarantined.getOrDefault(tp.partition(), Map.of()),
                        committed.getOrDefault(tp, -1L));
                InstanceReplay.Result<S> result;
                try {
                    result = InstanceReplay.run(replayer, id, e.getValue(), where.from(), where.toExclusive(),
                            replayer.initialState(id), false, live, null);
                } catch (IllegalArgumentException badId) {
                    // not a domain id: live dead-lettered these as NO_KEY
                    long bad = e.getValue().stream().filter(r -> r.offset() >= where.from() && r.offset() < where.toExclusive()).count();
                    withoutKey += bad;
                    messages += bad;
                    continue;
                }
                instances++;
                messages += result.steps().size();
                wouldFail += result.wouldFail();
                if (result.diverges()) {
                    diverging.add(result);
                }
                onProgress.accept(new Progress(messages, total, instances, diverging.size()));
            }
        }
        long total = java.util.Arrays.stream(counts).sum();
        onProgress.accept(new Progress(total, total, instances, diverging.size()));
        return new Summary(instances, messages, wouldFail, diverging, withoutKey, partitions);
    }

    private int requirePartitions(String topic) {
        int partitions = scanner.partitions(topic);
        if (partitions == 0) {
            throw new NothingToReplayException("the inbox " + topic + " of " + domain.type() + " does not exist on this cluster");
        }
        return partitions;
    }

    private Where where(TopicPartition tp, Range range) {
        long start = scanner.beginnings(List.of(tp)).get(tp);
        long end = scanner.ends(List.of(tp)).get(tp);
        long from = range.from().map(b -> b.isTime() ? scanner.offsetAt(tp, b.value()) : b.value()).orElse(start);
        long to = range.to().map(b -> b.isTime() ? scanner.offsetAt(tp, b.value()) : b.value() + 1).orElse(end);
        return new Where(tp, Math.max(from, start), Math.min(to, end), start, end);
    }

    /** State versions per instance id in one changelog partition, oldest first (only {@code key}'s when given). */
    private Map<String, List<S>> versions(int partition, byte[] key) throws TimeoutException {
        String changelog = StateReader.changelogTopic(file, domain);
        Map<String, List<S>> versions = new HashMap<>();
        if (scanner.partitions(changelog) <= partition) {
            return versions;
        }
        scanner.scan(List.of(new TopicPartition(changelog, partition)), Map.of(), Map.of(), r -> {
            if (r.key() == null || r.value() == null || (key != null && !Arrays.equals(r.key(), key))) {
                return;
            }
            versions.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(codec.decode(r.value(), domain.stateClass()));
        });
        return versions;
    }

    /** Dead letters of this inbox: partition -> offset -> dead letter (of the key's dead-letter partition only, when given). */
    private Map<Integer, Map<Long, DeadLetter>> deadLetters(Optional<byte[]> key) throws TimeoutException {
        Map<Integer, Map<Long, DeadLetter>> dead = new HashMap<>();
        int partitions = scanner.partitions(file.deadLetterTopic());
        if (partitions == 0) {
            return dead;
        }
        List<TopicPartition> which = key.map(k -> List.of(new TopicPartition(file.deadLetterTopic(), KeyPartition.of(k, partitions))))
                .orElseGet(() -> scanner.partitionsOf(file.deadLetterTopic()));
        scanner.scan(which, Map.of(), Map.of(), r -> {
            if (!inbox.topic().equals(EnvelopeHeaders.text(r.headers(), DeadLetterHeaders.TOPIC).orElse(null))) {
                return;
            }
            DeadLetter letter = DeadLetter.from(r.key(), r.value(), r.headers());
            dead.computeIfAbsent(letter.partition(), p -> new HashMap<>()).put(letter.offset(), letter);
        });
        return dead;
    }

    /** Messages of this inbox that storm protection quarantined: partition -> offset -> why (the key's partition only, when given). */
    private Map<Integer, Map<Long, String>> quarantined(Optional<byte[]> key) throws TimeoutException {
        Map<Integer, Map<Long, String>> stopped = new HashMap<>();
        int partitions = scanner.partitions(file.stormTopic());
        if (partitions == 0) {
            return stopped;
        }
        List<TopicPartition> which = key.map(k -> List.of(new TopicPartition(file.stormTopic(), KeyPartition.of(k, partitions))))
                .orElseGet(() -> scanner.partitionsOf(file.stormTopic()));
        scanner.scan(which, Map.of(), Map.of(), r -> {
            if (!inbox.topic().equals(EnvelopeHeaders.text(r.headers(), Quarantine.TOPIC).orElse(null))) {
                return;
            }
            Quarantine q = Quarantine.from(r.key(), r.value(), r.headers());
            stopped.computeIfAbsent(q.partition(), p -> new HashMap<>()).put(q.offset(), q.reason() + ": " + q.detail());
        });
        return stopped;
    }

    /** The application's committed offset per inbox partition: the next offset it will handle. */
    private Map<TopicPartition, Long> committed() throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(file.application())
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> committed = new HashMap<>();
        offsets.forEach((tp, o) -> {
            if (o != null && tp.topic().equals(inbox.topic())) {
                committed.put(tp, o.offset());
            }
        });
        return committed;
    }

    /** Nothing matches what was asked: the user's to fix. */
    public static final class NothingToReplayException extends RuntimeException {
        public NothingToReplayException(String message) {
            super(message);
        }
    }
}
