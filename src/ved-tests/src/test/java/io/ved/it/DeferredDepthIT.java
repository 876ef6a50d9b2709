package io.ved.it;

import io.ved.runtime.KafkaVedSender;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ved.api.Backpressure;
import io.ved.api.BackpressureException;
import io.ved.api.DomainRef;
import io.ved.api.VedSender;
import io.ved.runtime.topology.TopologyFile;
import io.ved.testdomains.Flaky;
import io.ved.testdomains.FlakyDomain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages the application has read but holds back in a throttle queue are no consumer lag, yet they wait in the
 * mailbox all the same: on the real broker, {@code ved state --lag} shows them as deferred and a sender's
 * backpressure counts them.
 */
class DeferredDepthIT {
    @TempDir
    Path dir;

    @Test
    void messagesHeldInAThrottleQueueAreShownByStateLagAndCountedByBackpressure() throws Exception {
        RealStack stack = RealStack.get();
        TopologyFile topology = TestTopologies.unique("topology/throttled.yaml", "deferred-depth");
        String[] cli = {"--bootstrap", stack.bootstrap(), "--registry", stack.registryUrl(),
                "--topology", TopologyYaml.write(topology, dir.resolve("throttled.yaml")).toString(),
                "--domains", FlakyDomain.class.getName()};
        DomainRef slow = FlakyDomain.FLAKY.ref("slow");
        try (RunningApp app = new RunningApp(stack, topology, List.of(FlakyDomain.flaky()))) {
            app.start(dir.resolve("state"));
            try (VedSender sender = KafkaVedSender.connect(stack.bootstrap(), app.registry(), topology, "/deferred-it")) {
                for (long seq = 1; seq <= 6; seq++) {
                    sender.send(slow, new Flaky(seq, 0, 0L, 0L)); // the first is handled, five wait 20 s each
                }
            }
            await().atMost(RunningApp.WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                CliRun lag = CliRun.of(concat(new String[] {"state", "--lag"}, cli));
                assertThat(lag.exit()).as(lag.toString()).isZero();
                assertThat(lag.out()).contains("FlakyDomain (" + topology.require(FlakyDomain.FLAKY).topic() + "): 5 waiting")
                        .containsPattern("lag\\s+0\\s+0").containsPattern("deferred\\s+(5\\s+0|0\\s+5)");
            });

            try (VedSender refusing = KafkaVedSender.connect(stack.bootstrap(), app.registry(), topology, "/deferred-it",
                    Backpressure.refuseAbove(3))) {
                assertThatThrownBy(() -> refusing.send(FlakyDomain.FLAKY.ref("other"), new Flaky(1L, 0, 0L, 0L)))
                        .isInstanceOfSatisfying(BackpressureException.class, e -> assertThat(e.depth()).isEqualTo(5));
            }
            try (VedSender roomy = KafkaVedSender.connect(stack.bootstrap(), app.registry(), topology, "/deferred-it",
                    Backpressure.refuseAbove(5))) {
                roomy.send(FlakyDomain.FLAKY.ref("other"), new Flaky(1L, 0, 0L, 0L));
            }
        }
    }

    private static String[] concat(String[] command, String[] options) {
        String[] all = new String[command.length + options.length];
        System.arraycopy(command, 0, all, 0, command.length);
        System.arraycopy(options, 0, all, command.length, options.length);
        return all;
    }
}
