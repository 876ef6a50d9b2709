package io.ved.tooling.storm;

import io.ved.runtime.storm.Quarantine;
import io.ved.runtime.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The messages storm protection stopped, as they stand: every committed record of the storm topic, read from
 * the beginning with read_committed, in time order (then by id), and grouped by the loop they were part of.
 */
public final class QuarantineStore {
    private final String topic;
    private final List<StoredQuarantine> all;
    private final List<StormId> unreadable;

    private QuarantineStore(String topic, List<StoredQuarantine> all, List<StormId> unreadable) {
        this.topic = topic;
        this.all = List.copyOf(all);
        this.unreadable = List.copyOf(unreadable);
    }

    /** Reads the whole topic; the topic must exist. */
    public static QuarantineStore read(String bootstrap, String topic, Duration timeout) throws TimeoutException {
        return of(topic, TopicReader.readAll(bootstrap, List.of(topic), timeout));
    }

    public static QuarantineStore of(String topic, List<ConsumerRecord<byte[], byte[]>> records) {
        List<StoredQuarantine> read = new ArrayList<>();
        List<StormId> unreadable = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            StormId id = new StormId(r.partition(), r.offset());
            try {
                read.add(new StoredQuarantine(id, Instant.ofEpochMilli(r.timestamp()), Quarantine.from(r.key(), r.value(), r.headers())));
            } catch (IllegalArgumentException notWrittenByVed) {
                unreadable.add(id);
            }
        }
        read.sort(Comparator.comparing(StoredQuarantine::time).thenComparing(StoredQuarantine::id));
        return new QuarantineStore(topic, read, unreadable);
    }

    public String topic() {
        return topic;
    }

    /** Every quarantined message, oldest first. */
    public List<StoredQuarantine> all() {
        return all;
    }

    /** Those whose loop (or reason) contains the text, ignoring case; all when the text is empty. */
    public List<StoredQuarantine> matching(Optional<String> cycle) {
        if (cycle.isEmpty() || cycle.get().isBlank()) {
            return all;
        }
        String wanted = cycle.get().toLowerCase(java.util.Locale.ROOT);
        return all.stream().filter(q -> q.group().toLowerCase(java.util.Locale.ROOT).contains(wanted)
                || q.quarantine().cycle().toLowerCase(java.util.Locale.ROOT).contains(wanted)).toList();
    }

    /** Group -> its messages, oldest first; loops first (in order of first appearance), then the other reasons. */
    public static Map<String, List<StoredQuarantine>> grouped(List<StoredQuarantine> messages) {
        Map<String, List<StoredQuarantine>> loops = new LinkedHashMap<>();
        Map<String, List<StoredQuarantine>> others = new LinkedHashMap<>();
        for (StoredQuarantine q : messages) {
            (q.reason() == Quarantine.Reason.OSCILLATION ? loops : others).computeIfAbsent(q.group(), g -> new ArrayList<>()).add(q);
        }
        loops.putAll(others);
        return loops;
    }

    public Optional<StoredQuarantine> find(StormId id) {
        return all.stream().filter(q -> q.id().equals(id)).findFirst();
    }

    /** Records of the topic that are not Ved quarantine records (unreadable ved_storm_* headers). */
    public List<StormId> unreadable() {
        return unreadable;
    }
}
