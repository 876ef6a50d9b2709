package io.ved.runtime;

import static io.ved.testdomains.FlakyDomain.FLAKY;
import static io.ved.testdomains.FlakyDomain.ONCE;
import static org.assertj.core.api.Assertions.assertThat;

import io.ved.api.DomainRef;
import io.ved.internal.TraceOutcome;
import io.ved.internal.TraceRecord;
import io.ved.runtime.deadletter.DeadLetter;
import io.ved.runtime.deadletter.DeadLetterReason;
import io.ved.testdomains.Flaky;
import io.ved.testdomains.FlakyDomain;
import io.ved.testdomains.LedgerState;
import io.ved.testkit.VedTestKit;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A failing handler is retried with backoff while the instance's later messages wait behind it; other
 * instances keep going; exhausted retries become a dead letter and the queue moves on.
 */
class RetryTest {
    private static final DomainRef A = FLAKY.ref("a");
    private static final DomainRef B = FLAKY.ref("b");
    private VedTestKit kit;

    @BeforeEach
    void start() {
        FlakyDomain.reset();
        kit = VedTestKit.of("topology/flaky.yaml", FlakyDomain.flaky(), FlakyDomain.once());
    }

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void aMessageThatFailsTwiceIsHandledOnTheThirdTryAndItsFollowersWaitInOrder() {
        kit.send(A, new Flaky(1L, 2, 0L, 0L));
        kit.send(A, new Flaky(2L, 0, 0L, 0L));
        kit.send(A, new Flaky(3L, 0, 0L, 0L));
        kit.send(B, new Flaky(10L, 0, 0L, 0L));

        assertThat(entries(A)).as("a waits for its first message's retry").isEmpty();
        assertThat(entries(B)).as("b does not wait for a").containsExactly(10L);

        kit.advanceTime(Duration.ofMillis(100));
        assertThat(entries(A)).as("second try failed too").isEmpty();
        kit.advanceTime(Duration.ofMillis(200));
        assertThat(entries(A)).containsExactly(1L, 2L, 3L);
        assertThat(FlakyDomain.attempts("a", 1L)).isEqualTo(3);
        assertThat(FlakyDomain.attempts("a", 2L)).as("waiting messages ran once").isEqualTo(1);
        assertThat(kit.deadLetters()).isEmpty();
    }

    @Test
    void exhaustedRetriesBecomeADeadLetterAndTheQueueMovesOn() {
        kit.send(A, new Flaky(1L, 99, 0L, 0L));
        kit.send(A, new Flaky(2L, 0, 0L, 0L));

        kit.advanceTime(Duration.ofSeconds(2));

        assertThat(entries(A)).containsExactly(2L);
        assertThat(kit.deadLetters()).singleElement().satisfies(dead -> {
            assertThat(dead.reason()).isEqualTo(DeadLetterReason.HANDLER_FAILED);
            assertThat(dead.attempts()).isEqualTo(4);
            assertThat(dead.error()).contains("flaky failure 4 of 99");
        });
        assertThat(FlakyDomain.attempts("a", 1L)).isEqualTo(4);
    }

    @Test
    void theTraceTellsEachOutcome() {
        kit.send(A, new Flaky(1L, 1, 0L, 0L));
        kit.send(A, new Flaky(2L, 0, 0L, 0L));
        kit.advanceTime(Duration.ofMillis(300));

        assertThat(kit.traces()).extracting(TraceRecord::getOutcome).containsExactly(
                TraceOutcome.RETRY_SCHEDULED, TraceOutcome.DEFERRED, TraceOutcome.HANDLED, TraceOutcome.HANDLED);
        assertThat(kit.traces().get(0).getReason()).contains("attempt 1 of 4 failed").contains("next try in 100 ms");
    }

    @Test
    void aDomainWithoutRetriesDeadLettersAtOnceAndWritesNoTrace() {
        DomainRef once = ONCE.ref("x");
        kit.send(once, new Flaky(1L, 1, 0L, 0L));
        kit.send(once, new Flaky(2L, 0, 0L, 0L));

        assertThat(entries(once)).containsExactly(2L);
        assertThat(kit.deadLetters()).extracting(DeadLetter::attempts).containsExactly(1);
        assertThat(kit.traces()).isEmpty();
    }

    @Test
    void aHandlerThatRunsPastItsLimitIsAbandonedAndDeadLettered() {
        kit.send(A, new Flaky(1L, 0, 5_000L, 0L));
        kit.send(A, new Flaky(2L, 0, 0L, 0L));

        assertThat(entries(A)).containsExactly(2L);
        assertThat(kit.deadLetters()).singleElement().satisfies(dead -> {
            assertThat(dead.reason()).isEqualTo(DeadLetterReason.HANDLER_TIMEOUT);
            assertThat(dead.error()).contains("longer than its limit of 1000 ms");
        });
    }

    private java.util.List<Long> entries(DomainRef ref) {
        LedgerState state = kit.stateOf(ref);
        return state.getEntries();
    }
}
