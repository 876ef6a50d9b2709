package io.ved.tooling.bench;

import java.util.EnumSet;
import java.util.Set;

/**
 * What one benchmark run does. Every variant gets the same message size, partition count, key count, warm-up
 * and message count, so their figures compare.
 *
 * @param mode            "quick" or "full" (a label for the report)
 * @param messages        messages per throughput measurement (pre-produced, then processed)
 * @param warmupMessages  messages each variant processes before anything is measured
 * @param rounds          throughput measurements per variant, taken in turns (a b c d, a b c d, ...); the median counts
 * @param keys            distinct keys (domain instances) the messages are spread over
 * @param partitions      partitions of every input topic
 * @param valueBytes      size of each record value (wire-format Avro: 5-byte header + body), approximately
 * @param latencyWarmupSeconds seconds of offered load before latency is recorded
 * @param latencySeconds  seconds of offered load whose latency is recorded
 * @param loadFraction    offered load for latency, as a fraction of the throughput of the slowest of (b) (at any
 *                        commit interval), (c) and (d)
 * @param commitIntervals the commit.interval.ms values latency is measured at
 * @param scaleInstances  domain instances for the scale measurement
 * @param recoveryRate    messages per second offered during the recovery measurement
 * @param extras          also measure Ved with handlers on a separate thread and with tracing off (throughput only)
 * @param parts           which measurements to run
 */
public record BenchSettings(String mode, int messages, int warmupMessages, int rounds, int keys, int partitions,
                            int valueBytes, int latencyWarmupSeconds, int latencySeconds, double loadFraction,
                            int[] commitIntervals, int scaleInstances, int recoveryRate, boolean extras, Set<Part> parts) {

    /** The measurements a run can make. */
    public enum Part { THROUGHPUT, LATENCY, SCALE, RECOVERY, FAILOVER, SCALEOUT }

    /** What runs when no part is named: everything but fail-over and scale-out (a 3-broker cluster), asked for by name. */
    static final Set<Part> DEFAULT_PARTS = java.util.EnumSet.of(Part.THROUGHPUT, Part.LATENCY, Part.SCALE, Part.RECOVERY);

    public BenchSettings {
        if (messages < 1 || warmupMessages < 0 || rounds < 1 || keys < 1 || partitions < 1 || valueBytes < 16) {
            throw new IllegalArgumentException("messages, rounds, keys and partitions must be positive, and values at least 16 bytes");
        }
        if (loadFraction <= 0 || loadFraction >= 1) {
            throw new IllegalArgumentException("the offered load must be a fraction between 0 and 1 of the slowest variant's throughput");
        }
        if (commitIntervals.length == 0) {
            throw new IllegalArgumentException("give at least one commit interval");
        }
        parts = Set.copyOf(parts);
    }

    /** Under 3 minutes on an idle 2-core machine: checks that everything runs; figures indicative only. */
    public static BenchSettings quick() {
        return new BenchSettings("quick", 20_000, 10_000, 1, 1_000, 6, 100, 2, 4, 0.4, new int[] {100, 10},
                10_000, 200, false, DEFAULT_PARTS);
    }

    /** The figures for docs/BENCHMARKS.md; run on an otherwise idle machine. */
    public static BenchSettings full() {
        return new BenchSettings("full", 500_000, 200_000, 3, 10_000, 6, 100, 10, 30, 0.4, new int[] {100, 10},
                1_000_000, 1_000, true, DEFAULT_PARTS);
    }

    public boolean runs(Part part) {
        return parts.contains(part);
    }

    /** These settings as a builder, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Changes some settings of a base (quick or full). Every setter takes a boxed value and keeps the base's when
     * given null, so a command line's unset options pass straight through.
     */
    public static final class Builder {
        private final String mode;
        private int messages;
        private int warmupMessages;
        private int rounds;
        private int keys;
        private int partitions;
        private int valueBytes;
        private int latencyWarmupSeconds;
        private int latencySeconds;
        private double loadFraction;
        private int[] commitIntervals;
        private int scaleInstances;
        private int recoveryRate;
        private boolean extras;
        private Set<Part> parts;

        private Builder(BenchSettings base) {
            mode = base.mode;
            messages = base.messages;
            warmupMessages = base.warmupMessages;
            rounds = base.rounds;
            keys = base.keys;
            partitions = base.partitions;
            valueBytes = base.valueBytes;
            latencyWarmupSeconds = base.latencyWarmupSeconds;
            latencySeconds = base.latencySeconds;
            loadFraction = base.loadFraction;
            commitIntervals = base.commitIntervals;
            scaleInstances = base.scaleInstances;
            recoveryRate = base.recoveryRate;
            extras = base.extras;
            parts = base.parts;
        }

        public Builder messages(Integer value) {
            messages = value != null ? value : messages;
            return this;
        }

        public Builder warmupMessages(Integer value) {
            warmupMessages = value != null ? value : warmupMessages;
            return this;
        }

        public Builder rounds(Integer value) {
            rounds = value != null ? value : rounds;
            return this;
        }

        public Builder keys(Integer value) {
            keys = value != null ? value : keys;
            return this;
        }

        public Builder partitions(Integer value) {
            partitions = value != null ? value : partitions;
            return this;
        }

        public Builder valueBytes(Integer value) {
            valueBytes = value != null ? value : valueBytes;
            return this;
        }

        public Builder latencyWarmupSeconds(Integer value) {
            latencyWarmupSeconds = value != null ? value : latencyWarmupSeconds;
            return this;
        }

        public Builder latencySeconds(Integer value) {
            latencySeconds = value != null ? value : latencySeconds;
            return this;
        }

        public Builder loadFraction(Double value) {
            loadFraction = value != null ? value : loadFraction;
            return this;
        }

        /** Null or empty keeps the base's intervals. */
        public Builder commitIntervals(int... value) {
            commitIntervals = value != null && value.length > 0 ? value : commitIntervals;
            return this;
        }

        public Builder scaleInstances(Integer value) {
            scaleInstances = value != null ? value : scaleInstances;
            return this;
        }

        public Builder recoveryRate(Integer value) {
            recoveryRate = value != null ? value : recoveryRate;
            return this;
        }

        public Builder extras(Boolean value) {
            extras = value != null ? value : extras;
            return this;
        }

        public Builder parts(Set<Part> value) {
            parts = value != null ? value : parts;
            return this;
        }

        /** @throws IllegalArgumentException if the settings together make no sense */
        public BenchSettings build() {
            return new BenchSettings(mode, messages, warmupMessages, rounds, keys, partitions, valueBytes,
                    latencyWarmupSeconds, latencySeconds, loadFraction, commitIntervals, scaleInstances, recoveryRate,
                    extras, parts);
        }
    }
}
