package io.ved.it;

import io.ved.runtime.KafkaVedSender;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ved.api.DomainRef;
import io.ved.api.VedSender;
import io.ved.runtime.Partitioning;
import io.ved.runtime.deadletter.DeadLetter;
import io.ved.runtime.deadletter.DeadLetterReason;
import io.ved.runtime.topology.TopologyFile;
import io.ved.testdomains.Flaky;
import io.ved.testdomains.FlakyDomain;
import io.ved.testdomains.LedgerState;
import io.ved.runtime.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A handler that never returns and ignores its interrupt, on the stream thread (the default), on a real broker. Its
 * message is recorded as abandoned, the Kafka Streams instance holding the stuck thread is replaced, and the
 * partition moves on: within {@link #MOVES_ON_WITHIN} (the stuck consumer leaves the group 30 s, Ved's
 * {@code max.poll.interval.ms}, after its last poll). The message becomes exactly one dead letter, also when the
 * process is killed after recording it, and whichever process reads it next does not run the handler again.
 */
class StuckHandlerIT {
    private static final Duration MOVES_ON_WITHIN = Duration.ofSeconds(90);
    private static final long ENDLESS = -1L;

    @TempDir
    Path dir;

    @BeforeEach
    void holdTheLoops() {
        FlakyDomain.reset();
        FlakyDomain.holdEndless();
    }

    @AfterEach
    void releaseTheLoops() {
        FlakyDomain.releaseEndless(); // the given-up thread ends, so the next tests have both cores
    }

    @Test
    void theStuckThreadIsReplacedThePartitionMovesOnAndTheMessageIsDeadLetteredOnce() throws Exception {
        RealStack stack = RealStack.get();
        TopologyFile topology = TestTopologies.unique("topology/bad-input.yaml", "stuck");
        DomainRef loop = FlakyDomain.FLAKY.ref("loop");
        DomainRef other = FlakyDomain.FLAKY.ref(keyOnAnotherPartitionThan("loop", topology.require(FlakyDomain.FLAKY).partitions()));
        try (RunningApp app = new RunningApp(stack, topology, List.of(FlakyDomain.flaky()))) {
            app.start(dir.resolve("state"), Map.of("num.stream.threads", 2));
            assertThat(app.ved().workingStreamThreads()).as("working stream threads at start").isEqualTo(2);
            long sent = System.nanoTime();
            try (VedSender sender = KafkaVedSender.connect(stack.bootstrap(), app.registry(), topology, "/stuck-it")) {
                sender.send(loop, new Flaky(1L, 0, 0L, ENDLESS));
                sender.send(loop, new Flaky(2L, 0, 0L, 0L));
                await().atMost(Duration.ofSeconds(30)).until(() -> !abandonedRecords(stack, topology).isEmpty());
                sender.send(other, new Flaky(1L, 0, 0L, 0L)); // sent while the thread is stuck
            }

            await().atMost(MOVES_ON_WITHIN).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                Map<String, LedgerState> states = app.states(FlakyDomain.flaky());
                assertThat(states.get(loop.id())).as("the stuck instance's next message").isNotNull();
                assertThat(states.get(loop.id()).getEntries()).containsExactly(2L);
                assertThat(states.get(other.id())).as("the other partition's message").isNotNull();
                assertThat(states.get(other.id()).getEntries()).containsExactly(1L);
            });
            System.out.printf("StuckHandlerIT: the partition moved on %d s after the endless message was sent%n",
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - sent));
            assertThat(deadLettersOf(stack, topology, loop.id())).singleElement().satisfies(d -> {
                assertThat(d.reason()).isEqualTo(DeadLetterReason.HANDLER_TIMEOUT);
                assertThat(d.error()).contains("longer than its limit of 1000 ms", "ignored its interrupt", "not run again");
            });
            assertThat(FlakyDomain.attempts(loop.id(), 1)).as("the endless handler ran once, not again").isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(app.ved().workingStreamThreads()).as("working stream threads after the replacement").isEqualTo(2));
        }
    }

    @Test
    void aProcessKilledAfterTheStuckHandlerDeadLettersItOnRestartWithoutRunningItAgain() throws Exception {
        RealStack stack = RealStack.get();
        TopologyFile topology = TestTopologies.unique("topology/bad-input.yaml", "stuck-kill");
        DomainRef loop = FlakyDomain.FLAKY.ref("loop");
        try (RunningApp app = new RunningApp(stack, topology, List.of(FlakyDomain.flaky()))) {
            try (VedSender sender = KafkaVedSender.connect(stack.bootstrap(), app.registry(), topology, "/stuck-kill-it")) {
                sender.send(loop, new Flaky(1L, 0, 0L, ENDLESS));
                sender.send(loop, new Flaky(2L, 0, 0L, 0L));
            }
            Process child = startVedRun(stack, TopologyYaml.write(topology, dir.resolve("topology.yaml")));
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                        .until(() -> !abandonedRecords(stack, topology).isEmpty());
            } finally {
                child.destroyForcibly(); // kill -9, long before its replacement instance could dead-letter the message
                child.waitFor(30, TimeUnit.SECONDS);
            }

            app.start(dir.resolve("restarted"));
            await().atMost(MOVES_ON_WITHIN).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                LedgerState state = app.states(FlakyDomain.flaky()).get(loop.id());
                assertThat(state).isNotNull();
                assertThat(state.getEntries()).containsExactly(2L);
            });
            assertThat(FlakyDomain.attempts(loop.id(), 1)).as("the restarted process did not run the endless handler").isZero();
            assertThat(deadLettersOf(stack, topology, loop.id())).singleElement().satisfies(d -> {
                assertThat(d.reason()).isEqualTo(DeadLetterReason.HANDLER_TIMEOUT);
                assertThat(d.error()).contains("ignored its interrupt", "not run again");
            });
        }
    }

    private Process startVedRun(RealStack stack, Path topologyFile) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.ved.cli.VedCli", "run",
                "--domains", FlakyDomain.class.getName(), "--topology", topologyFile.toString(),
                "--bootstrap", stack.bootstrap(), "--registry", stack.registryUrl(),
                "--state-dir", dir.resolve("killed").toString()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("ved-run.log").toFile()).start();
    }

    private static List<?> abandonedRecords(RealStack stack, TopologyFile topology) throws Exception {
        return TopicReader.readAll(stack.bootstrap(), List.of(topology.abandonedTopic()), Duration.ofSeconds(5));
    }

    private static List<DeadLetter> deadLettersOf(RealStack stack, TopologyFile topology, String id) throws Exception {
        return TopicReader.readAll(stack.bootstrap(), List.of(topology.deadLetterTopic()), Duration.ofSeconds(30))
                .stream().map(r -> DeadLetter.from(r.key(), r.value(), r.headers()))
                .filter(d -> d.key() != null && id.equals(new String(d.key(), StandardCharsets.UTF_8)))
                .toList();
    }

    private static String keyOnAnotherPartitionThan(String key, int partitions) {
        int taken = Partitioning.partitionOf(key, partitions);
        for (int i = 0; ; i++) {
            if (Partitioning.partitionOf("other-" + i, partitions) != taken) {
                return "other-" + i;
            }
        }
    }

}
