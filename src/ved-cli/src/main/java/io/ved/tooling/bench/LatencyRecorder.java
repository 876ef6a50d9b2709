package io.ved.tooling.bench;

import java.util.Arrays;

/**
 * Latency samples (milliseconds) of the messages sent inside a measured window, and their percentiles. Samples
 * come from one thread at a time per recorder, but are read from another: methods are synchronized.
 */
final class LatencyRecorder {
    private long windowStart = Long.MAX_VALUE;
    private long windowEnd = Long.MIN_VALUE;
    private long[] samples = new long[1024];
    private int count;

    /** Only messages sent (record timestamp) in [start, end) count from now on; earlier samples are dropped. */
    synchronized void window(long startMs, long endMs) {
        windowStart = startMs;
        windowEnd = endMs;
        count = 0;
    }

    synchronized void record(long sentMs, long latencyMs) {
        if (sentMs < windowStart || sentMs >= windowEnd) {
            return;
        }
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = latencyMs;
    }

    synchronized int count() {
        return count;
    }

    synchronized Stats stats() {
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        return Stats.of(sorted);
    }

    /** Percentiles by nearest rank, in milliseconds; all 0 with no samples. */
    record Stats(int samples, double p50, double p95, double p99, double max, double mean) {
        static Stats of(long[] sorted) {
            if (sorted.length == 0) {
                return new Stats(0, 0, 0, 0, 0, 0);
            }
            double sum = 0;
            for (long s : sorted) {
                sum += s;
            }
            return new Stats(sorted.length, rank(sorted, 0.50), rank(sorted, 0.95), rank(sorted, 0.99),
                    sorted[sorted.length - 1], sum / sorted.length);
        }

        private static double rank(long[] sorted, double q) {
            int index = (int) Math.ceil(q * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }
    }
}
