package io.ved.tooling.bench;

import io.ved.envelope.MessageCodec;
import io.ved.runtime.TopicPlan;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileReader;
import io.ved.tooling.bench.model.BenchMessage;
import io.ved.tooling.topics.TopicReconciler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;

/**
 * Fail-over: two {@code ved run} processes share an application under a steady load; one is killed with SIGKILL.
 * Measured for each way of running them (dynamic or static membership, with or without a standby replica, the
 * killed one restarted at once or not): the seconds from the kill until every inbox partition's committed offset
 * moves again (processing resumed everywhere) and until the backlog of the outage is worked off.
 */
final class FailoverBench {
    private static final Duration WAIT = Duration.ofSeconds(180);

    /** One way of running the pair. */
    record Setup(String name, boolean staticMembership, int standbyReplicas, boolean restart) {
    }

    static final List<Setup> SETUPS = List.of(
            new Setup("dynamic, no standby, not restarted", false, 0, false),
            new Setup("dynamic, 1 standby, not restarted", false, 1, false),
            new Setup("dynamic, no standby, restarted at once", false, 0, true),
            new Setup("static, no standby, restarted at once", true, 0, true),
            new Setup("static, 1 standby, restarted at once", true, 1, true));

    private final BenchRun run;

    FailoverBench(BenchRun run) {
        this.run = run;
    }

    List<BenchResult.Failover> run() throws Exception {
        List<BenchResult.Failover> results = new ArrayList<>();
        for (int i = 0; i < SETUPS.size(); i++) {
            Setup setup = SETUPS.get(i);
            run.say("  fail-over %d/%d: %s ...", i + 1, SETUPS.size(), setup.name());
            BenchResult.Failover result = measure(setup, i);
            run.say("    every partition processing again %.1f s after the kill, backlog worked off after %.1f s",
                    result.resumedSeconds(), result.caughtUpSeconds());
            results.add(result);
        }
        return results;
    }

    private BenchResult.Failover measure(Setup setup, int index) throws Exception {
        String application = "bench-failover-" + run.runId() + "-" + index;
        Map<String, String> topics = new LinkedHashMap<>();
        topics.put(BenchDomains.COUNTER.name(), "bench.failover." + run.runId() + "." + index + ".inbox");
        Path topologyFile = run.work().resolve("topology-failover-" + index + ".yaml");
        Files.writeString(topologyFile, VedBenchApp.yaml(application, run.settings().partitions(), List.of(), topics));
        TopologyFile topology = TopologyFileReader.read(topologyFile);
        new TopicReconciler(run.stack().admin()).apply(TopicPlan.topicsToCreate(topology), List.of());
        String inbox = topology.require(BenchDomains.COUNTER).topic();
        MessageCodec codec = run.stack().codec();
        Load load = new Load(run.settings().keys(), run.settings().valueBytes(), codec.schemaIdOf(BenchMessage.class));
        double rate = run.settings().recoveryRate();

        AtomicBoolean stopLoad = new AtomicBoolean();
        Process a = null;
        Process b = null;
        Process restarted = null;
        try (KafkaProducer<byte[], byte[]> producer = Load.producer(Load.producerConfig(run.stack().bootstrap(), "bench-failover-load"))) {
            Thread loader = new Thread(() -> load.paced(producer, inbox, rate, 0, Long.MAX_VALUE / 2, 0, 0, stopLoad),
                    "bench-failover-load");
            loader.setDaemon(true);
            loader.start();
            try {
                Path logA = run.work().resolveSibling("failover-" + index + "-a.log");
                Path logB = run.work().resolveSibling("failover-" + index + "-b.log");
                Path stateA = run.work().resolve("state-failover-" + index + "-a");
                a = VedRunProcess.launch(run, topologyFile, stateA, logA, flags(setup, "a"));
                b = VedRunProcess.launch(run, topologyFile, run.work().resolve("state-failover-" + index + "-b"), logB, flags(setup, "b"));
                List<TopicPartition> partitions = run.stack().endOffsets(List.of(inbox)).keySet().stream().toList();
                // both share the work and (with a standby) have caught their copies up: every partition commits
                awaitEveryPartitionMoves(application, partitions, run.stack().committed(application), List.of(a, b), List.of(logA, logB),
                        "both processes to run and commit on every partition");
                BenchStack.sleep(5_000);
                Map<TopicPartition, Long> atKill = run.stack().committed(application);
                long kill = System.currentTimeMillis();
                a.destroyForcibly();
                a.waitFor(30, TimeUnit.SECONDS);
                List<Process> running = new ArrayList<>(List.of(b));
                List<Path> logs = new ArrayList<>(List.of(logB));
                if (setup.restart()) {
                    Path logRestarted = run.work().resolveSibling("failover-" + index + "-a-restarted.log");
                    restarted = VedRunProcess.launch(run, topologyFile, stateA, logRestarted, flags(setup, "a"));
                    running.add(restarted);
                    logs.add(logRestarted);
                }
                long resumed = awaitEveryPartitionMoves(application, partitions, atKill, running, logs,
                        "every partition to be processed again after the kill");
                long threshold = (long) Math.max(10, rate / 2);
                long deadline = System.currentTimeMillis() + WAIT.toMillis();
                while (run.stack().lag(application, run.stack().endOffsets(List.of(inbox))) > threshold) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new IllegalStateException("the backlog of " + application + " was not worked off within " + WAIT.toSeconds() + " s");
                    }
                    BenchStack.sleep(50);
                }
                long caughtUp = System.currentTimeMillis();
                return new BenchResult.Failover(setup.name(), rate, (resumed - kill) / 1000.0, (caughtUp - kill) / 1000.0);
            } finally {
                stopLoad.set(true);
                loader.join(10_000);
            }
        } finally {
            VedRunProcess.stop(a);
            VedRunProcess.stop(b);
            VedRunProcess.stop(restarted);
        }
    }

    private static List<String> flags(Setup setup, String instance) {
        List<String> flags = new ArrayList<>(List.of("--standby-replicas", Integer.toString(setup.standbyReplicas()), "--query-port", "-1"));
        if (setup.staticMembership()) {
            flags.addAll(List.of("--instance-id", "bench-" + instance));
        }
        return flags;
    }

    /** @return the wall-clock millis at which every partition's committed offset was first seen past {@code from} */
    private long awaitEveryPartitionMoves(String group, List<TopicPartition> partitions, Map<TopicPartition, Long> from,
            List<Process> processes, List<Path> logs, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Map<TopicPartition, Long> now = run.stack().committed(group);
            long when = System.currentTimeMillis();
            if (partitions.stream().allMatch(tp -> now.getOrDefault(tp, -1L) > from.getOrDefault(tp, -1L))) {
                return when;
            }
            for (int i = 0; i < processes.size(); i++) {
                if (!processes.get(i).isAlive()) {
                    throw new IllegalStateException("a `ved run` process exited while waiting for " + what + "; its output:\n"
                            + VedRunProcess.tail(logs.get(i)));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited " + WAIT.toSeconds() + " s for " + what);
            }
            BenchStack.sleep(50);
        }
    }
}
