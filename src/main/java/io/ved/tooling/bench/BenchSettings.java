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
 * @param loadFraction    offered load for latency, as a fraction of (b)'s throughput at its slowest commit interval
 * @param commitIntervals the commit.interval.ms values latency is measured at
 * @param scaleInstances  domain instances for the scale measurement
 * @param recoveryRate    messages per second offered during the recovery measurement
 * @param extras          also measure Ved with no handler time limit and with tracing off (throughput only)
 * @param parts           which measurements to run
 */
public record BenchSettings(String mode, int messages, int warmupMessages, int rounds, int keys, int partitions,
                            int valueBytes, int latencyWarmupSeconds, int latencySeconds, double loadFraction,
                            int[] commitIntervals, int scaleInstances, int recoveryRate, boolean extras, Set<Part> parts) {

    /** The measurements a run can make. */
    public enum Part { THROUGHPUT, LATENCY, SCALE, RECOVERY }

    public BenchSettings {
        if (messages < 1 || warmupMessages < 0 || rounds < 1 || keys < 1 || partitions < 1 || valueBytes < 16) {
            throw new IllegalArgumentException("messages, rounds, keys and partitions must be positive, and values at least 16 bytes");
        }
        if (loadFraction <= 0 || loadFraction >= 1) {
            throw new IllegalArgumentException("the offered load must be a fraction of (b)'s throughput between 0 and 1");
        }
        if (commitIntervals.length == 0) {
            throw new IllegalArgumentException("give at least one commit interval");
        }
        parts = Set.copyOf(parts);
    }

    /** Under 3 minutes on an idle 2-core machine: checks that everything runs; figures indicative only. */
    public static BenchSettings quick() {
        return new BenchSettings("quick", 20_000, 10_000, 1, 1_000, 6, 100, 2, 4, 0.4, new int[] {100, 10},
                10_000, 200, false, EnumSet.allOf(Part.class));
    }

    /** The figures for docs/BENCHMARKS.md; run on an otherwise idle machine. */
    public static BenchSettings full() {
        return new BenchSettings("full", 200_000, 50_000, 3, 10_000, 6, 100, 10, 30, 0.4, new int[] {100, 10},
                1_000_000, 1_000, true, EnumSet.allOf(Part.class));
    }

    public boolean runs(Part part) {
        return parts.contains(part);
    }

    public BenchSettings withMessages(int messages, int warmupMessages) {
        return new BenchSettings(mode, messages, warmupMessages, rounds, keys, partitions, valueBytes, latencyWarmupSeconds,
                latencySeconds, loadFraction, commitIntervals, scaleInstances, recoveryRate, extras, parts);
    }

    public BenchSettings withRounds(int rounds) {
        return new BenchSettings(mode, messages, warmupMessages, rounds, keys, partitions, valueBytes, latencyWarmupSeconds,
                latencySeconds, loadFraction, commitIntervals, scaleInstances, recoveryRate, extras, parts);
    }

    public BenchSettings withKeys(int keys) {
        return new BenchSettings(mode, messages, warmupMessages, rounds, keys, partitions, valueBytes, latencyWarmupSeconds,
                latencySeconds, loadFraction, commitIntervals, scaleInstances, recoveryRate, extras, parts);
    }

    public BenchSettings withPartitions(int partitions) {
        return new BenchSettings(mode, messages, warmupMessages, rounds, keys, partitions, valueBytes, latencyWarmupSeconds,
                latencySeconds, loadFraction, commitIntervals, scaleInstances, recoveryRate, extras, parts);
    }

    public BenchSettings withValueBytes(int valueBytes) {
        return new BenchSettings(mode, messages, warmupMessages, rounds, keys, partitions, valueBytes, latencyWarmupSeconds,
                latencySeconds, loadFraction, commitIntervals, scaleInstances, recoveryRate, extras, parts);
    }

    public BenchSettings withLatency(int warmupSeconds, int seconds) {
        return new BenchSettings(mode, messages, warmupMessages, rounds, keys, partitions, valueBytes, warmupSeconds,
                seconds, loadFraction, commitIntervals, scaleInstances, recoveryRate, extras, parts);
    }

    public BenchSettings withLoadFraction(double fraction) {
        return new BenchSettings(mode, messages, warmupMessages, rounds, keys, partitions, valueBytes, latencyWarmupSeconds,
                latencySeconds, fraction, commitIntervals, scaleInstances, recoveryRate, extras, parts);
    }

    public BenchSettings withCommitIntervals(int... intervals) {
        return new BenchSettings(mode, messages, warmupMessages, rounds, keys, partitions, valueBytes, latencyWarmupSeconds,
                latencySeconds, loadFraction, intervals, scaleInstances, recoveryRate, extras, parts);
    }

    public BenchSettings withScaleInstances(int instances) {
        return new BenchSettings(mode, messages, warmupMessages, rounds, keys, partitions, valueBytes, latencyWarmupSeconds,
                latencySeconds, loadFraction, commitIntervals, instances, recoveryRate, extras, parts);
    }

    public BenchSettings withRecoveryRate(int rate) {
        return new BenchSettings(mode, messages, warmupMessages, rounds, keys, partitions, valueBytes, latencyWarmupSeconds,
                latencySeconds, loadFraction, commitIntervals, scaleInstances, rate, extras, parts);
    }

    public BenchSettings withExtras(boolean extras) {
        return new BenchSettings(mode, messages, warmupMessages, rounds, keys, partitions, valueBytes, latencyWarmupSeconds,
                latencySeconds, loadFraction, commitIntervals, scaleInstances, recoveryRate, extras, parts);
    }

    public BenchSettings withParts(Set<Part> parts) {
        return new BenchSettings(mode, messages, warmupMessages, rounds, keys, partitions, valueBytes, latencyWarmupSeconds,
                latencySeconds, loadFraction, commitIntervals, scaleInstances, recoveryRate, extras, parts);
    }
}
