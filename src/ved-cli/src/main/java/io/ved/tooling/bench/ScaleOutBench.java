package io.ved.tooling.bench;

import io.ved.runtime.TopicPlan;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileReader;
import io.ved.tooling.bench.model.BenchMessage;
import io.ved.tooling.stack.LocalCluster;
import io.ved.tooling.topics.TopicReconciler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Scale-out: on a {@link LocalCluster} of three brokers (replication factor 3, {@code min.insync.replicas} 2), the
 * counter domain run as 1, 2 and 3 {@code ved run} processes with one stream thread each, and as one and two
 * processes with two threads. Each setup first runs and commits on every partition (joined, warm), then
 * {@code messages} are sent as fast as the producer can, and the time until every partition is committed to the
 * end gives its throughput. On a machine with fewer cores than processes the figures show what the CPU bounds,
 * not what Ved does: the report says so.
 */
final class ScaleOutBench {
    private static final Duration WAIT = Duration.ofMinutes(10);
    private static final int WARM_UP_MESSAGES = 2_000;
    private static final int MAX_MESSAGES = 200_000;

    /** One way of running the application. */
    record Setup(int instances, int threads) {
    }

    static final List<Setup> SETUPS = List.of(new Setup(1, 1), new Setup(2, 1), new Setup(3, 1), new Setup(1, 2), new Setup(2, 2));

    private final BenchRun run;

    ScaleOutBench(BenchRun run) {
        this.run = run;
    }

    List<BenchResult.ScaleOut> run() throws Exception {
        long t = System.nanoTime();
        try (LocalCluster cluster = LocalCluster.start(run.work().resolve("scaleout-cluster"), 3);
             BenchStack stack = BenchStack.existing(cluster.bootstrapServers(), run.stack().registryUrl())) {
            run.say("  cluster of 3 brokers up in %.1f s", (System.nanoTime() - t) / 1e9);
            BenchRun onCluster = new BenchRun(stack, run.settings(), run.runId(), run.work(), run.log(), run.startedNanos());
            List<BenchResult.ScaleOut> results = new ArrayList<>();
            double baseline = 0;
            for (int i = 0; i < SETUPS.size(); i++) {
                Setup setup = SETUPS.get(i);
                run.say("  scale-out %d/%d: %d instance(s) x %d stream thread(s) ...", i + 1, SETUPS.size(), setup.instances(), setup.threads());
                long messages = Math.min(MAX_MESSAGES, run.settings().messages());
                double seconds = measure(onCluster, setup, i, messages);
                double perSecond = messages / seconds;
                baseline = i == 0 ? perSecond : baseline;
                run.say("    %,d messages in %.1f s: %,.0f msgs/s (%.2f x one instance)", messages, seconds, perSecond, perSecond / baseline);
                results.add(new BenchResult.ScaleOut(setup.instances(), setup.threads(), messages, seconds, perSecond, perSecond / baseline));
            }
            return results;
        }
    }

    private double measure(BenchRun on, Setup setup, int index, long messages) throws Exception {
        String application = "bench-scaleout-" + run.runId() + "-" + index;
        Map<String, String> topics = new LinkedHashMap<>();
        topics.put(BenchDomains.COUNTER.name(), "bench.scaleout." + run.runId() + "." + index + ".inbox");
        Path topologyFile = run.work().resolve("topology-scaleout-" + index + ".yaml");
        // enough partitions for the most stream threads of any setup
        int partitions = Math.max(6, run.settings().partitions());
        Files.writeString(topologyFile, VedBenchApp.yaml(application, partitions, 3, List.of(), topics));
        TopologyFile topology = TopologyFileReader.read(topologyFile);
        new TopicReconciler(on.stack().admin()).apply(TopicPlan.topicsToCreate(topology), List.of());
        String inbox = topology.require(BenchDomains.COUNTER).topic();
        Load load = new Load(run.settings().keys(), run.settings().valueBytes(), on.stack().codec().schemaIdOf(BenchMessage.class));
        List<Process> processes = new ArrayList<>();
        try {
            for (int p = 0; p < setup.instances(); p++) {
                processes.add(VedRunProcess.launch(on, topologyFile, run.work().resolve("state-scaleout-" + index + "-" + p),
                        run.work().resolveSibling("scaleout-" + index + "-" + p + ".log"),
                        List.of("--threads", Integer.toString(setup.threads()), "--query-port", "-1")));
            }
            load.produce(on.stack().bootstrap(), inbox, 0, WARM_UP_MESSAGES);
            awaitEveryPartitionCommitted(on, application, inbox, processes);
            long start = System.nanoTime();
            load.produce(on.stack().bootstrap(), inbox, WARM_UP_MESSAGES, WARM_UP_MESSAGES + messages);
            long done = on.stack().awaitCommitted(application, on.stack().endOffsets(List.of(inbox)), WAIT);
            return (done - start) / 1e9;
        } finally {
            processes.forEach(VedRunProcess::stop);
        }
    }

    /** Warm: every instance has joined and every partition has been committed to its end. */
    private static void awaitEveryPartitionCommitted(BenchRun on, String application, String inbox, List<Process> processes) {
        Map<TopicPartition, Long> ends = on.stack().endOffsets(List.of(inbox));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (on.stack().lag(application, ends) > 0) {
            if (processes.stream().anyMatch(p -> !p.isAlive())) {
                throw new IllegalStateException("a `ved run` process of " + application + " exited while warming up");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(application + " did not work off its warm-up messages within " + WAIT.toMinutes() + " min");
            }
            BenchStack.sleep(50);
        }
        // the group settles (every member has its share) before the measured burst
        BenchStack.sleep(3_000);
    }
}
