package io.ved.runtime.lag;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

/**
 * Mailbox depths measured at most once per interval per topic: what a sender checks before each send without
 * asking the broker each time. A measurement is the application's consumer lag per inbox partition
 * ({@link MailboxLag}); between measurements the last one is returned.
 */
public final class LagSampler {
    /** Where measurements come from: the lag per partition of one topic. */
    @FunctionalInterface
    public interface Source {
        Map<Integer, Long> lagByPartition(String topic) throws Exception;
    }

    /**
     * One measurement of a topic.
     *
     * @param byPartition partition -> messages waiting there
     * @param takenAt     when it was taken, on the sampler's clock (nanoseconds)
     */
    public record Sample(String topic, Map<Integer, Long> byPartition, long takenAt) {
        public Sample {
            byPartition = Map.copyOf(byPartition);
        }

        /** Messages waiting in the whole topic. */
        public long total() {
            return byPartition.values().stream().mapToLong(Long::longValue).sum();
        }

        public long partition(int partition) {
            return byPartition.getOrDefault(partition, 0L);
        }

        public int partitions() {
            return byPartition.size();
        }
    }

    private final Source source;
    private final long everyNanos;
    private final LongSupplier clock;
    private final Map<String, Sample> latest = new HashMap<>();
    private int measurements;

    public LagSampler(Source source, Duration every) {
        this(source, every, System::nanoTime);
    }

    public LagSampler(Source source, Duration every, LongSupplier nanoClock) {
        this.source = source;
        this.everyNanos = every.toNanos();
        this.clock = nanoClock;
    }

    /** Measures the lag of an application (consumer group id = application id) on the broker the admin client talks to. */
    public static Source of(Admin admin, String applicationId) {
        MailboxLag lag = new MailboxLag(admin);
        return topic -> {
            Map<Integer, Long> byPartition = new TreeMap<>();
            for (Map.Entry<TopicPartition, Long> e : lag.byPartition(applicationId, List.of(topic)).entrySet()) {
                byPartition.put(e.getKey().partition(), e.getValue());
            }
            return byPartition;
        };
    }

    /**
     * A mailbox's whole depth: the application's consumer lag per partition plus the messages its runtime holds back
     * in retry and throttle queues there, as the partition's task last published them ({@link DeferredDepths}).
     */
    public static Source withDeferred(Admin admin, String applicationId, DeferredDepths deferred) {
        Source lag = of(admin, applicationId);
        return topic -> {
            Map<Integer, Long> byPartition = new TreeMap<>(lag.lagByPartition(topic));
            deferred.latest().getOrDefault(topic, Map.of()).forEach((partition, waiting) ->
                    byPartition.merge(partition, waiting, Long::sum));
            return byPartition;
        };
    }

    /**
     * The latest measurement of the topic, taken now if the last one is older than the interval.
     *
     * @throws IllegalStateException when the broker could not be asked
     */
    public synchronized Sample sample(String topic) throws InterruptedException {
        Sample last = latest.get(topic);
        long now = clock.getAsLong();
        if (last != null && now - last.takenAt() < everyNanos) {
            return last;
        }
        Map<Integer, Long> measured;
        try {
            measured = source.lagByPartition(topic);
        } catch (InterruptedException e) {
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not measure the mailbox depth of " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("could not measure the mailbox depth of " + topic + ": " + e.getMessage(), e);
        }
        measurements++;
        Sample sample = new Sample(topic, measured, clock.getAsLong());
        latest.put(topic, sample);
        return sample;
    }

    /** How much longer the given measurement stays current, in nanoseconds (0 when it is due again). */
    public long freshFor(Sample sample) {
        return Math.max(0, everyNanos - (clock.getAsLong() - sample.takenAt()));
    }

    /** How many times the broker was asked, for tests and diagnostics. */
    public synchronized int measurements() {
        return measurements;
    }
}
