package io.ved.tooling.bench;

import java.util.List;
import java.util.Map;

/** Everything one run measured: what {@code results.json} holds, and what the table and chart are drawn from. */
public record BenchResult(
        String mode,
        String startedAt,
        double totalSeconds,
        Machine machine,
        Map<String, Object> settings,
        List<Variant> variants,
        Ratios ratios,
        Scale scale,
        Recovery recovery,
        List<Failover> failover,
        List<ScaleOut> scaleOut,
        List<String> notes) {

    /**
     * Where it ran. {@code otherCpuShare} says whether the machine was busy with something else: the share of its
     * CPU that processes other than the benchmark's used during the run (-1 if unknown); the load averages include
     * the benchmark's own load.
     */
    public record Machine(int cores, long memoryBytes, String cpu, String os, String jdk, String jvmFlags,
                          String kafka, double loadAverageAtStart, double loadAverageAtEnd, double otherCpuShare) {
    }

    /**
     * @param throughput      at commit.interval.ms 100
     * @param otherThroughput at the other commit intervals, where measured (for (b): it sets the offered load)
     */
    public record Variant(String id, String name, String description, Throughput throughput, List<Throughput> otherThroughput,
                          List<Latency> latency) {
        public Latency latencyAt(int commitIntervalMs) {
            return latency == null ? null
                    : latency.stream().filter(l -> l.commitIntervalMs() == commitIntervalMs).findFirst().orElse(null);
        }
    }

    /**
     * The median of the rounds measured (each round: the same number of pre-produced messages).
     *
     * @param cpuMicrosPerMessage    CPU of the variant's own threads (stream/handler/client threads) per message
     * @param jvmCpuMicrosPerMessage CPU of the whole JVM, broker included, per message
     * @param rounds                 messages per second of each round, in the order measured
     */
    public record Throughput(int commitIntervalMs, long messages, double seconds, double messagesPerSecond,
                             double cpuMicrosPerMessage, double jvmCpuMicrosPerMessage, List<Double> rounds) {

        /** The round with the median throughput, carrying every round's figure. */
        static Throughput median(List<Throughput> measured) {
            List<Throughput> sorted = new java.util.ArrayList<>(measured);
            sorted.sort(java.util.Comparator.comparingDouble(Throughput::messagesPerSecond));
            Throughput m = sorted.get((sorted.size() - 1) / 2);
            return new Throughput(m.commitIntervalMs(), m.messages(), m.seconds(), m.messagesPerSecond(), m.cpuMicrosPerMessage(),
                    m.jvmCpuMicrosPerMessage(), measured.stream().map(t -> Math.round(t.messagesPerSecond() * 10) / 10.0).toList());
        }
    }

    /**
     * @param endToEnd    send (record timestamp) until a read_committed consumer of the output sees the effect
     * @param inProcessor send until the processor handled it (before the commit); null where not observable
     */
    public record Latency(int commitIntervalMs, double offeredPerSecond, long sentInWindow, Stats endToEnd,
                          Stats inProcessor) {
    }

    /** Milliseconds. */
    public record Stats(long samples, double p50, double p95, double p99, double max, double mean) {
        static Stats of(LatencyRecorder.Stats s) {
            return new Stats(s.samples(), s.p50(), s.p95(), s.p99(), s.max(), s.mean());
        }
    }

    /** Ratios of throughput (c/b, d/b, b/a) and of p99 end-to-end latency per commit interval ("100" -> c/b). */
    public record Ratios(Double cOverB, Double dOverB, Double bOverA, Map<String, Double> p99COverB,
                         Map<String, Double> p99DOverB) {
    }

    /**
     * @param instances         domain instances (one message each)
     * @param processSeconds    time to handle the first message of each (i.e. create them)
     * @param stateDirBytes     the application's state directory after a clean stop (du)
     * @param changelogBytes    the state store changelog on the broker
     * @param heapBaselineBytes heap used after a GC before the application started (the broker shares this JVM)
     * @param heapRunningBytes  heap used after a GC with the application running and all instances created
     * @param restoreSeconds    from start on a wiped state dir until every store was restored
     * @param restoreToRunningSeconds from start on a wiped state dir until RUNNING
     * @param restoredRecords   records read from the changelogs while restoring
     * @param rocksDbMemory     RocksDB's own memory estimates (off-heap) from Kafka Streams' metrics, bytes
     */
    public record Scale(long instances, double processSeconds, long stateDirBytes, long changelogBytes,
                        long heapBaselineBytes, long heapRunningBytes, long heapAfterRestoreBytes,
                        double restoreSeconds, double restoreToRunningSeconds, long restoredRecords,
                        Map<String, Double> rocksDbMemory) {
    }

    /**
     * @param offeredPerSecond           load during the measurement
     * @param replacementStartedSeconds  kill until the replacement process said it was running
     * @param firstHandledSeconds        kill until the first message handled by the replacement (its trace's handled time)
     * @param resumedSeconds             kill until the first committed effect of the replacement was seen (read_committed)
     * @param caughtUpSeconds            kill until the replacement had worked off the backlog of the outage
     */
    public record Recovery(double offeredPerSecond, double replacementStartedSeconds, double firstHandledSeconds,
                           double resumedSeconds, double caughtUpSeconds, String howReplaced) {
    }

    /**
     * One scale-out measurement on the 3-broker cluster: {@code instances} {@code ved run} processes with
     * {@code threads} stream threads each worked off {@code messages} sent as fast as the producer could.
     *
     * @param perSecond   messages handled per second, from the first send until every partition was committed
     * @param versusOne   {@code perSecond} over that of one instance with one thread
     */
    public record ScaleOut(int instances, int threads, long messages, double seconds, double perSecond, double versusOne) {
    }

    /**
     * @param setup           how the two processes ran (membership, standby replicas, whether the killed one restarted)
     * @param resumedSeconds  kill until every inbox partition's committed offset moved again
     * @param caughtUpSeconds kill until the backlog of the outage was worked off
     */
    public record Failover(String setup, double offeredPerSecond, double resumedSeconds, double caughtUpSeconds) {
    }
}
