package io.ved.tooling.bench;

import io.ved.tooling.bench.model.BenchMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Many domain instances: one message to each of N instances of the counter domain (so N states in RocksDB and N
 * records in the changelog), then the state directory's size, the heap, and the time to restore everything from
 * the changelog after the state directory is wiped.
 */
final class ScaleBench {
    private static final List<String> ROCKSDB_MEMORY = List.of("size-all-mem-tables", "block-cache-usage",
            "estimate-table-readers-mem");

    private final BenchRun run;

    ScaleBench(BenchRun run) {
        this.run = run;
    }

    BenchResult.Scale run() throws Exception {
        int instances = run.settings().scaleInstances();
        VedBenchApp app = VedBenchApp.counter("scale", "scale", "", List.of(), run.settings().partitions(), run.runId(), run.stack(), run.work());
        app.createTopics(run.stack(), run.settings().partitions());
        Load load = new Load(instances, run.settings().valueBytes(),
                run.stack().codec().schemaIdOf(BenchMessage.class));
        long heapBaseline = heapAfterGc();

        app.start(100);
        app.pause();
        load.produce(run.stack().bootstrap(), app.inputTopic(), 0, instances);
        Map<TopicPartition, Long> ends = run.stack().endOffsets(List.of(app.inputTopic()));
        long t0 = System.nanoTime();
        app.resume();
        long t1 = run.stack().awaitCommitted(app.applicationId(), ends, Duration.ofSeconds(300 + instances / 200));
        double processSeconds = (t1 - t0) / 1e9;
        run.say("  %,d instances created in %.1f s (%,.0f/s)", instances, processSeconds, instances / processSeconds);
        long heapRunning = heapAfterGc();
        Map<String, Double> rocksDb = rocksDbMemory(app.streams());
        app.stop();

        long stateBytes = sizeOf(app.stateDir());
        long changelogBytes = changelogBytes(app.applicationId());
        run.say("  state dir %,d bytes, changelogs %,d bytes; heap used %,d MB before the app, %,d MB with it",
                stateBytes, changelogBytes, heapBaseline >> 20, heapRunning >> 20);

        Bench.deleteTree(app.stateDir());
        RestoreTimer timer = new RestoreTimer();
        app.beforeStart(streams -> streams.setGlobalStateRestoreListener(timer));
        long r0 = System.nanoTime();
        app.start(100);
        long running = System.nanoTime();
        long heapAfterRestore = heapAfterGc();
        app.stop();
        Bench.deleteTree(app.stateDir());
        double restoreSeconds = timer.seconds();
        run.say("  restored %,d records in %.1f s after wiping the state dir (RUNNING after %.1f s)",
                timer.restored.get(), restoreSeconds, (running - r0) / 1e9);
        return new BenchResult.Scale(instances, Bench.round(processSeconds, 3), stateBytes, changelogBytes, heapBaseline,
                heapRunning, heapAfterRestore, Bench.round(restoreSeconds, 3), Bench.round((running - r0) / 1e9, 3),
                timer.restored.get(), rocksDb);
    }

    /** Restore progress of every store. */
    static final class RestoreTimer implements StateRestoreListener {
        private final AtomicLong firstStart = new AtomicLong(Long.MAX_VALUE);
        private final AtomicLong lastEnd = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong restored = new AtomicLong();

        @Override
        public void onRestoreStart(TopicPartition partition, String store, long startOffset, long endOffset) {
            firstStart.accumulateAndGet(System.nanoTime(), Math::min);
        }

        @Override
        public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
            restored.addAndGet(numRestored);
        }

        @Override
        public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
            lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
        }

        double seconds() {
            return firstStart.get() == Long.MAX_VALUE || lastEnd.get() == Long.MIN_VALUE ? 0
                    : (lastEnd.get() - firstStart.get()) / 1e9;
        }
    }

    static long heapAfterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
            BenchStack.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** RocksDB's memory estimates, summed over the stores, by metric name (what Kafka Streams reports of them). */
    private static Map<String, Double> rocksDbMemory(KafkaStreams streams) {
        Map<String, Double> sums = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            String name = e.getKey().name();
            if (ROCKSDB_MEMORY.contains(name) && e.getValue().metricValue() instanceof Number n) {
                sums.merge(name, n.doubleValue(), Double::sum);
            }
        }
        return sums;
    }

    private long changelogBytes(String applicationId) throws Exception {
        long total = 0;
        Map<Integer, Map<String, LogDirDescription>> dirs = run.stack().admin()
                .describeLogDirs(run.stack().admin().describeCluster().nodes().get(30, TimeUnit.SECONDS).stream().map(n -> n.id()).toList())
                .allDescriptions().get(30, TimeUnit.SECONDS);
        for (Map<String, LogDirDescription> byDir : dirs.values()) {
            for (LogDirDescription d : byDir.values()) {
                for (var replica : d.replicaInfos().entrySet()) {
                    String topic = replica.getKey().topic();
                    if (topic.startsWith(applicationId + "-") && topic.endsWith("-changelog")) {
                        total += replica.getValue().size();
                    }
                }
            }
        }
        return total;
    }

    static long sizeOf(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
