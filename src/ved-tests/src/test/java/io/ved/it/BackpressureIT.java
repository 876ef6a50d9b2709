package io.ved.it;

import io.ved.runtime.KafkaVedSender;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ved.api.Backpressure;
import io.ved.api.BackpressureException;
import io.ved.api.Sent;
import io.ved.api.VedSender;
import io.ved.example.storm.Relay;
import io.ved.example.storm.StormDomains;
import io.ved.example.storm.Tally;
import io.ved.runtime.topology.TopologyFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backpressure on the real broker: with the application stopped, messages pile up in a mailbox (its consumer lag
 * grows); a sender with a lower high-water mark is refused with the depth and the mark, and sends nothing; a
 * waiting sender is let through once the restarted application has drained the mailbox; and 'ved send
 * --high-water' refuses with one line and exit code 4.
 */
class BackpressureIT {
    @TempDir
    Path dir;

    @Test
    void aSenderIsRefusedOrWaitsWhileTheMailboxIsAboveTheMark() throws Exception {
        RealStack stack = RealStack.get();
        TopologyFile topology = TestTopologies.unique(StormDomains.TOPOLOGY, "backpressure");
        String inbox = topology.require(StormDomains.RELAY).topic();
        String[] cli = {"--bootstrap", stack.bootstrap(), "--registry", stack.registryUrl(),
                "--topology", TopologyYaml.write(topology, dir.resolve("storm.yaml")).toString(),
                "--domains", StormDomains.class.getName()};
        try (RunningApp app = new RunningApp(stack, topology, StormDomains.domains());
             VedSender plain = KafkaVedSender.connect(stack.bootstrap(), app.registry(), topology, "/bp-it")) {
            app.start(dir.resolve("state"));
            plain.send(StormDomains.RELAY.ref("warm-up"), new Relay(0));
            app.awaitQuiet();
            app.stop();

            for (int i = 0; i < 25; i++) {
                plain.send(StormDomains.RELAY.ref("r" + i), new Relay(0));
            }
            long endBefore = endOffsets(app, inbox);

            try (VedSender refusing = KafkaVedSender.connect(stack.bootstrap(), app.registry(), topology, "/bp-it",
                    Backpressure.refuseAbove(10))) {
                assertThatThrownBy(() -> refusing.send(StormDomains.RELAY.ref("late"), new Relay(0)))
                        .isInstanceOfSatisfying(BackpressureException.class, e -> {
                            assertThat(e.targetType()).isEqualTo(StormDomains.RELAY);
                            assertThat(e.depth()).isEqualTo(25);
                            assertThat(e.highWaterMark()).isEqualTo(10);
                        })
                        .hasMessage("not sent to RelayDomain[late]: RelayDomain's mailboxes hold 25 waiting messages (lag and deferred queues of "
                                + inbox + "), above the high-water mark of 10");
            }
            try (VedSender roomy = KafkaVedSender.connect(stack.bootstrap(), app.registry(), topology, "/bp-it",
                    Backpressure.refuseAbove(25))) {
                roomy.send(StormDomains.RELAY.ref("fits"), new Relay(0));
            }
            assertThat(endOffsets(app, inbox)).as("only the send under its mark went out").isEqualTo(endBefore + 1);

            CliRun refused = CliRun.of(concat(new String[] {"send", "--high-water", "10", "RelayDomain[cli] Relay(remaining: 0)"}, cli));
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(4);
            assertThat(refused.out()).isEmpty();
            assertThat(refused.err()).isEqualTo("ved: not sent to RelayDomain[cli]: RelayDomain's mailboxes hold 26 waiting messages"
                    + " (lag and deferred queues of " + inbox + "), above the high-water mark of 10\n");
            CliRun waitedOut = CliRun.of(concat(new String[] {"send", "--high-water", "10", "--on-full", "wait", "--max-wait", "1500ms",
                    "RelayDomain[cli] Relay(remaining: 0)"}, cli));
            assertThat(waitedOut.exit()).as(waitedOut.toString()).isEqualTo(4);
            assertThat(waitedOut.err()).startsWith("ved: not sent to RelayDomain[cli]: after waiting ")
                    .contains("still above the high-water mark of 10");
            assertThat(endOffsets(app, inbox)).as("the CLI sent nothing").isEqualTo(endBefore + 1);

            // A waiting sender gets through once the application is back and has worked the mailbox down.
            try (VedSender waiting = KafkaVedSender.connect(stack.bootstrap(), app.registry(), topology, "/bp-it",
                    Backpressure.waitBelow(0, RunningApp.WAIT))) {
                long started = System.nanoTime();
                CompletableFuture<Sent> sent = CompletableFuture.supplyAsync(() -> waiting.send(StormDomains.RELAY.ref("patient"), new Relay(0)));
                Thread.sleep(1_000);
                assertThat(sent).as("still waiting while the application is stopped").isNotDone();
                app.start(dir.resolve("state"));
                sent.get(RunningApp.WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofSeconds(1));
            }
            CliRun passes = CliRun.of(concat(new String[] {"send", "--high-water", "10", "RelayDomain[cli] Relay(remaining: 0)"}, cli));
            assertThat(passes.exit()).as(passes.toString()).isZero();
            assertThat(passes.out()).startsWith("sent RelayDomain[cli] Relay");

            await().atMost(RunningApp.WAIT).pollInterval(Duration.ofMillis(500))
                    .until(() -> app.states(StormDomains.relay()).keySet().containsAll(List.of("patient", "cli", "fits", "r24")));
            Map<String, Tally> states = app.states(StormDomains.relay());
            assertThat(states).doesNotContainKey("late");
            assertThat(states).hasSize(29); // warm-up, r0..r24, fits, patient, cli
        }
    }

    private static long endOffsets(RunningApp app, String topic) throws Exception {
        var partitions = app.admin().describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
        Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
        partitions.forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return app.admin().listOffsets(request).all().get().values().stream().mapToLong(i -> i.offset()).sum();
    }

    private static String[] concat(String[] command, String[] options) {
        String[] all = new String[command.length + options.length];
        System.arraycopy(command, 0, all, 0, command.length);
        System.arraycopy(options, 0, all, command.length, options.length);
        return all;
    }
}
