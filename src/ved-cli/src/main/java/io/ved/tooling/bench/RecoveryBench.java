package io.ved.tooling.bench;

import io.ved.cli.VedCli;
import io.ved.envelope.MessageCodec;
import io.ved.internal.TraceOutcome;
import io.ved.internal.TraceRecord;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileReader;
import io.ved.tooling.bench.model.BenchMessage;
import io.ved.runtime.TopicPlan;
import io.ved.tooling.topics.TopicReconciler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Recovery: a Ved application runs as a child process ({@code ved run}) under a steady load; it is killed with
 * SIGKILL, and a replacement is started at once on the same state directory, as a supervisor would restart it.
 * Measured from the kill: the replacement saying it runs, its first handled message (the trace's handled time),
 * its first committed effect seen by a read_committed consumer, and the backlog of the outage worked off.
 */
final class RecoveryBench {
    private static final Duration WAIT = Duration.ofSeconds(180);

    private final BenchRun run;

    RecoveryBench(BenchRun run) {
        this.run = run;
    }

    BenchResult.Recovery run() throws Exception {
        String application = "bench-recovery-" + run.runId();
        Map<String, String> topics = new LinkedHashMap<>();
        topics.put(BenchDomains.COUNTER.name(), "bench.recovery." + run.runId() + ".inbox");
        String yaml = VedBenchApp.yaml(application, run.settings().partitions(), List.of(), topics);
        Path topologyFile = run.work().resolve("topology-recovery.yaml");
        Files.writeString(topologyFile, yaml);
        TopologyFile topology = TopologyFileReader.read(topologyFile);
        new TopicReconciler(run.stack().admin()).apply(TopicPlan.topicsToCreate(topology), List.of());
        String inbox = topology.require(BenchDomains.COUNTER).topic();
        MessageCodec codec = run.stack().codec();
        Load load = new Load(run.settings().keys(), run.settings().valueBytes(), codec.schemaIdOf(BenchMessage.class));
        Path stateDir = run.work().resolve("state-recovery");
        double rate = run.settings().recoveryRate();

        AtomicLong handled = new AtomicLong();
        AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
        AtomicLong firstSeenAfterKill = new AtomicLong(Long.MAX_VALUE);
        AtomicLong firstHandledAfterKill = new AtomicLong(Long.MAX_VALUE);
        List<BenchApp.Probe> probes = List.of(new BenchApp.Probe(topology.traceTopic(), (record, receivedMs) -> {
            TraceRecord trace = codec.decode(record.value(), TraceRecord.class);
            if (trace.getOutcome() != TraceOutcome.HANDLED) {
                return;
            }
            handled.incrementAndGet();
            if (trace.getHandledTime() > killedAt.get()) {
                firstSeenAfterKill.compareAndSet(Long.MAX_VALUE, receivedMs);
                firstHandledAfterKill.accumulateAndGet(trace.getHandledTime(), Math::min);
            }
        }));

        AtomicBoolean stopLoad = new AtomicBoolean();
        Process first = null;
        Process replacement = null;
        try (ProbeConsumer probe = new ProbeConsumer(run.stack().bootstrap(), probes, "bench-recovery-probe");
             KafkaProducer<byte[], byte[]> producer = Load.producer(Load.producerConfig(run.stack().bootstrap(), "bench-recovery-load"))) {
            Thread loader = new Thread(() -> load.paced(producer, inbox, rate, 0, Long.MAX_VALUE / 2, 0, 0, stopLoad),
                    "bench-recovery-load");
            loader.setDaemon(true);
            loader.start();
            try {
                Path firstLog = run.work().resolveSibling("recovery-first.log");
                first = VedRunProcess.launch(run, topologyFile, stateDir, firstLog, List.of());
                long steady = (long) Math.max(20, rate * 2);
                awaitCondition(() -> handled.get() >= steady, first, firstLog, "the first process to handle " + steady + " messages", probe);
                run.say("  first process handles the load (%,d messages seen handled); killing it with SIGKILL", handled.get());

                long kill = System.currentTimeMillis();
                killedAt.set(kill);
                first.destroyForcibly();
                Path secondLog = run.work().resolveSibling("recovery-replacement.log");
                replacement = VedRunProcess.launch(run, topologyFile, stateDir, secondLog, List.of());
                first.waitFor(30, TimeUnit.SECONDS);

                Process current = replacement;
                AtomicLong startedAt = new AtomicLong(Long.MAX_VALUE);
                awaitCondition(() -> {
                    if (startedAt.get() == Long.MAX_VALUE && VedRunProcess.logSays(secondLog, "Running ")) {
                        startedAt.set(System.currentTimeMillis());
                    }
                    return firstSeenAfterKill.get() != Long.MAX_VALUE;
                }, current, secondLog, "the replacement to commit its first message", probe);
                if (startedAt.get() == Long.MAX_VALUE) {
                    awaitCondition(() -> VedRunProcess.logSays(secondLog, "Running "), current, secondLog, "the replacement to say it runs", probe);
                    startedAt.set(System.currentTimeMillis());
                }
                long threshold = (long) Math.max(10, rate / 2);
                awaitCondition(() -> run.stack().lag(application, run.stack().endOffsets(List.of(inbox))) <= threshold, current, secondLog,
                        "the replacement to work off the backlog", probe);
                long caughtUp = System.currentTimeMillis();
                BenchResult.Recovery result = new BenchResult.Recovery(rate, seconds(startedAt.get() - kill),
                        seconds(firstHandledAfterKill.get() - kill), seconds(firstSeenAfterKill.get() - kill), seconds(caughtUp - kill),
                        "kill -9 of the only `ved run` process; a replacement started at once on the same state directory");
                run.say("  replacement running after %.1f s, first message handled after %.1f s, first commit seen after %.1f s, "
                                + "backlog worked off after %.1f s", result.replacementStartedSeconds(), result.firstHandledSeconds(),
                        result.resumedSeconds(), result.caughtUpSeconds());
                return result;
            } finally {
                stopLoad.set(true);
                loader.join(10_000);
            }
        } finally {
            VedRunProcess.stop(first);
            VedRunProcess.stop(replacement);
        }
    }

    @FunctionalInterface
    private interface Condition {
        boolean met() throws Exception;
    }

    private static void awaitCondition(Condition condition, Process process, Path logFile, String what, ProbeConsumer probe)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.met()) {
            probe.received();
            if (!process.isAlive()) {
                throw new IllegalStateException("the `ved run` process exited (" + process.exitValue() + ") while waiting for "
                        + what + "; its output:\n" + VedRunProcess.tail(logFile));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited " + WAIT.toSeconds() + " s for " + what + "; its output:\n" + VedRunProcess.tail(logFile));
            }
            BenchStack.sleep(10);
        }
    }

    private static double seconds(long millis) {
        return millis < 0 || millis > Long.MAX_VALUE / 4 ? -1 : Bench.round(millis / 1000.0, 3);
    }

}
