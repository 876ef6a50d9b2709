package io.ved.tooling.verify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Watches the application from outside, as an operator would: the committed offsets of its consumer group and
 * the last stable offsets of its inboxes, sampled twice a second. From them come the progress figures (deposits
 * applied, mailbox lag) and, for each kill or broker restart, the time until processing resumed: the first
 * sample in which every inbox partition has either committed past where it stood at the fault, or has nothing
 * left to handle.
 */
final class Monitor implements Runnable {
    private static final Duration EVERY = Duration.ofMillis(500);

    /** One sample: committed offset and lag per inbox partition. */
    record Sample(long atNanos, Map<TopicPartition, Long> committed, Map<TopicPartition, Long> lag) {
        long committedOn(String topic) {
            return committed.entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                    .mapToLong(Map.Entry::getValue).sum();
        }

        long totalLag() {
            return lag.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** A fault and, once seen, when processing resumed after it. */
    static final class Watch {
        final FaultKind kind;
        final String what;
        final long faultNanos;
        final Map<TopicPartition, Long> committedAtFault;
        /** Nothing was left to handle when it happened (after the driver finished): there is no resumption to time. */
        final boolean idle;
        volatile long resumedNanos = -1;

        Watch(FaultKind kind, String what, long faultNanos, Map<TopicPartition, Long> committedAtFault, boolean idle) {
            this.kind = kind;
            this.what = what;
            this.faultNanos = faultNanos;
            this.committedAtFault = committedAtFault;
            this.idle = idle;
        }

        Optional<Duration> timeToResume() {
            return resumedNanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(resumedNanos - faultNanos));
        }

        /** When each partition first moved (or had nothing to do) after the fault. */
        private final Map<TopicPartition, Long> movedAt = new HashMap<>();

        synchronized boolean resumedIn(Sample s) {
            boolean all = true;
            for (Map.Entry<TopicPartition, Long> e : s.committed().entrySet()) {
                long before = committedAtFault.getOrDefault(e.getKey(), 0L);
                if (e.getValue() <= before && s.lag().getOrDefault(e.getKey(), 0L) > 0) {
                    all = false;
                } else {
                    movedAt.putIfAbsent(e.getKey(), s.atNanos());
                }
            }
            return all;
        }

        /** The partition that was the last to move again: where a slow recovery was. */
        synchronized Optional<TopicPartition> lastToResume() {
            return movedAt.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
        }
    }

    private final Admin admin;
    private final Map<String, List<TopicPartition>> partitionsByGroup;
    private final List<TopicPartition> partitions;
    private final List<Watch> open = new ArrayList<>();
    private final List<Watch> all = new ArrayList<>();
    private volatile Sample last;
    private volatile boolean stopped;

    /** Watches each inbox (a key of {@code groupByInbox}) through the consumer group that handles it. */
    Monitor(Admin admin, Map<String, String> groupByInbox, int partitionsPerInbox) {
        this.admin = admin;
        Map<String, List<TopicPartition>> byGroup = new HashMap<>();
        List<TopicPartition> list = new ArrayList<>();
        groupByInbox.forEach((topic, group) -> {
            for (int p = 0; p < partitionsPerInbox; p++) {
                byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(new TopicPartition(topic, p));
                list.add(new TopicPartition(topic, p));
            }
        });
        this.partitionsByGroup = Map.copyOf(byGroup);
        this.partitions = List.copyOf(list);
    }

    @Override
    public void run() {
        while (!stopped) {
            sampleNow().ifPresent(this::resolveWatches);
            try {
                Thread.sleep(EVERY.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Samples now; empty when the broker does not answer (e.g. while it restarts). */
    Optional<Sample> sampleNow() {
        try {
            long at = System.nanoTime();
            Map<TopicPartition, OffsetAndMetadata> group = new HashMap<>();
            for (Map.Entry<String, List<TopicPartition>> e : partitionsByGroup.entrySet()) {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(e.getKey())
                        .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
                e.getValue().forEach(tp -> {
                    if (offsets.get(tp) != null) {
                        group.put(tp, offsets.get(tp));
                    }
                });
            }
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, Long> committed = new HashMap<>();
            Map<TopicPartition, Long> lag = new HashMap<>();
            var ends = admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(5, TimeUnit.SECONDS);
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata c = group.get(tp);
                long position = c == null ? 0 : c.offset();
                committed.put(tp, position);
                lag.put(tp, Math.max(0, ends.get(tp).offset() - position));
            }
            Sample sample = new Sample(at, Map.copyOf(committed), Map.copyOf(lag));
            last = sample;
            return Optional.of(sample);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception brokerAway) {
            return Optional.empty();
        }
    }

    synchronized void resolveWatches(Sample sample) {
        open.removeIf(w -> {
            if (sample.atNanos() > w.faultNanos && w.resumedIn(sample)) {
                w.resumedNanos = sample.atNanos();
                return true;
            }
            return false;
        });
    }

    /**
     * Starts timing a fault that happened at {@code faultNanos}; {@code committedAtFault} is where each partition
     * stood (a sample taken just after an app was killed, or just before the broker was).
     */
    synchronized Watch watch(FaultKind kind, String what, long faultNanos, Map<TopicPartition, Long> committedAtFault,
                             boolean idle) {
        Watch w = new Watch(kind, what, faultNanos, committedAtFault, idle);
        open.add(w);
        all.add(w);
        return w;
    }

    synchronized List<Watch> watches() {
        return List.copyOf(all);
    }

    Optional<Sample> last() {
        return Optional.ofNullable(last);
    }

    void stop() {
        stopped = true;
    }
}
