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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A handler that computes far past its limit and never looks at its interrupt, on the stream thread (the default),
 * on a real broker. Two outcomes are right, and which one comes depends on whether a commit fell between the
 * batch's first message and the deaf one: if the deaf handler held an open transaction past Kafka Streams'
 * timeout (10 s), the broker aborts it, the batch is read again, and since the domain type has meanwhile moved to
 * a separate thread the handler is abandoned at the limit; otherwise it is dead-lettered when it returns. Either
 * way exactly one dead letter is committed and the instance's next message is handled. Without the move to a
 * separate thread the first case would repeat the 25 s and the fencing for ever, and the test would time out.
 */
class HandlerIsolationIT {
    @TempDir
    Path stateDir;

    @Test
    void aHandlerDeafToItsInterruptIsDeadLetteredOnceAndThePartitionMovesOn() throws Exception {
        RealStack stack = RealStack.get();
        TopologyFile topology = TestTopologies.unique("topology/bad-input.yaml", "deaf");
        DomainRef deaf = FlakyDomain.FLAKY.ref("deaf");
        DomainRef first = FlakyDomain.FLAKY.ref(keyOnTheSamePartitionAs("deaf", topology.require(FlakyDomain.FLAKY).partitions()));
        try (RunningApp app = new RunningApp(stack, topology, List.of(FlakyDomain.flaky()))) {
            // Sent before the application starts, so that it reads them in one batch: the first message's effects
            // open the transaction that the deaf handler then holds past its timeout.
            try (VedSender sender = KafkaVedSender.connect(stack.bootstrap(), app.registry(), topology, "/isolation-it")) {
                sender.send(first, new Flaky(1L, 0, 0L, 0L));
                sender.send(deaf, new Flaky(1L, 0, 0L, 25_000L));
                sender.send(deaf, new Flaky(2L, 0, 0L, 0L));
            }
            app.start(stateDir);

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                Map<String, LedgerState> states = app.states(FlakyDomain.flaky());
                assertThat(states.get("deaf")).isNotNull();
                assertThat(states.get("deaf").getEntries()).containsExactly(2L);
                assertThat(states.get(first.id()).getEntries()).containsExactly(1L);
            });
            List<DeadLetter> dead = TopicReader.readAll(stack.bootstrap(), List.of(topology.deadLetterTopic()), Duration.ofSeconds(30))
                    .stream().map(r -> DeadLetter.from(r.key(), r.value(), r.headers()))
                    .filter(d -> d.key() != null && "deaf".equals(new String(d.key(), StandardCharsets.UTF_8)))
                    .toList();
            assertThat(dead).singleElement().satisfies(d -> {
                assertThat(d.reason()).isEqualTo(DeadLetterReason.HANDLER_TIMEOUT);
                assertThat(d.error()).contains("longer than its limit of 1000 ms")
                        .containsAnyOf("was abandoned", "was interrupted; what it did was discarded");
            });
        }
    }

    /** A key that Kafka's default partitioner puts on the same partition as the given one. */
    private static String keyOnTheSamePartitionAs(String key, int partitions) {
        int wanted = Partitioning.partitionOf(key, partitions);
        for (int i = 0; ; i++) {
            if (Partitioning.partitionOf("first-" + i, partitions) == wanted) {
                return "first-" + i;
            }
        }
    }

}
