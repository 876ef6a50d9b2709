package io.ved.it;

import io.ved.runtime.KafkaVedSender;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ved.api.DomainRef;
import io.ved.api.VedSender;
import io.ved.testdomains.Flaky;
import io.ved.testdomains.FlakyDomain;
import io.ved.testdomains.LedgerDomain;
import io.ved.testdomains.LedgerState;
import io.ved.tooling.stack.StackFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once on a real broker: every message changes its instance's ledger once and in order, across a
 * stop in the middle of processing and a restart that must restore the state from the changelog.
 */
class DurabilityIT {
    private static final int INSTANCES = 1000;
    private final LedgerLoad load = new LedgerLoad(INSTANCES);

    @TempDir
    Path stateDir;

    @Test
    void tenThousandMessagesOverAThousandInstancesReachTheExactStates() throws Exception {
        RealStack stack = RealStack.get();
        try (RunningApp app = new RunningApp(stack, TestTopologies.unique("topology/ledger-6.yaml", "load"),
                List.of(LedgerDomain.ledger(), LedgerDomain.audit()))) {
            app.start(stateDir);
            load.send(stack.bootstrap(), app.registry(), app.topology(), 0, 10_000);
            app.awaitQuiet();

            var states = app.states(LedgerDomain.ledger());
            assertThat(states).hasSize(INSTANCES);
            assertThat(load.mismatches(states, 10_000)).isEmpty();
        }
    }

    @Test
    void messagesWaitingForARetrySurviveARestartThatLosesTheLocalState() throws Exception {
        FlakyDomain.reset();
        RealStack stack = RealStack.get();
        DomainRef waiting = FlakyDomain.FLAKY.ref("w");
        try (RunningApp app = new RunningApp(stack, TestTopologies.unique("topology/backoff.yaml", "backoff"),
                List.of(FlakyDomain.flaky()));
             VedSender sender = KafkaVedSender.connect(stack.bootstrap(), app.registry(), app.topology(), "/durability-it")) {
            app.start(stateDir);
            sender.send(waiting, new Flaky(1L, 2, 0L, 0L));
            sender.send(waiting, new Flaky(2L, 0, 0L, 0L));
            await().atMost(Duration.ofSeconds(30)).until(() -> FlakyDomain.attempts("w", 1L) == 1);
            Thread.sleep(300);   // let the commit carry the queued messages and the retry schedule to the changelogs
            app.stop();
            StackFile.deleteTree(stateDir);

            app.start(stateDir);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(app.states(FlakyDomain.flaky()).get("w")).isNotNull()
                            .extracting(LedgerState::getEntries).isEqualTo(List.of(1L, 2L)));
            assertThat(FlakyDomain.attempts("w", 1L)).isEqualTo(3);
            assertThat(FlakyDomain.attempts("w", 2L)).as("the waiting message ran once").isEqualTo(1);
        }
    }

    @Test
    void restartsWithAndWithoutLocalStateLoseNothingAndApplyNothingTwice() throws Exception {
        RealStack stack = RealStack.get();
        try (RunningApp app = new RunningApp(stack, TestTopologies.unique("topology/ledger-6.yaml", "restart"),
                List.of(LedgerDomain.ledger(), LedgerDomain.audit()))) {
            app.start(stateDir);
            load.send(stack.bootstrap(), app.registry(), app.topology(), 0, 6_000);
            Thread.sleep(300);
            app.stop();   // mid-stream: some of the 6,000 are handled, the rest wait in the inbox

            app.start(stateDir);
            load.send(stack.bootstrap(), app.registry(), app.topology(), 6_000, 8_000);
            app.awaitQuiet();
            assertThat(load.mismatches(app.states(LedgerDomain.ledger()), 8_000)).isEmpty();

            app.stop();
            StackFile.deleteTree(stateDir);   // the local RocksDB state is gone: it must come back from the changelog
            app.start(stateDir);
            load.send(stack.bootstrap(), app.registry(), app.topology(), 8_000, 10_000);
            app.awaitQuiet();
            assertThat(load.mismatches(app.states(LedgerDomain.ledger()), 10_000)).isEmpty();
        }
    }
}
