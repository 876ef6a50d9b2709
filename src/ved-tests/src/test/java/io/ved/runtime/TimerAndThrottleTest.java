package io.ved.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ved.api.DomainRef;
import io.ved.testdomains.Append;
import io.ved.testdomains.Flaky;
import io.ved.testdomains.FlakyDomain;
import io.ved.testdomains.LedgerDomain;
import io.ved.testdomains.LedgerState;
import io.ved.testdomains.ReminderDomain;
import io.ved.testdomains.timers.Remind;
import io.ved.testdomains.timers.Reminders;
import io.ved.testkit.VedTestKit;
import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Durable timers fire once, after their delay, and can be cancelled; throttling defers in order, never drops. */
class TimerAndThrottleTest {
    private VedTestKit kit;

    @BeforeEach
    void start() {
        FlakyDomain.reset();
        kit = VedTestKit.of("topology/timers.yaml", ReminderDomain.definition(), FlakyDomain.flaky(),
                LedgerDomain.ledger(), LedgerDomain.audit());
    }

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void aTimerFiresOnceAfterItsDelayWithTheDueTimeAsNow() {
        DomainRef r = ReminderDomain.REMINDER.ref("r");
        kit.send(r, new Remind("tea", 1_000L, false));
        long scheduledAt = kit.now().toEpochMilli() - 1;

        kit.advanceTime(Duration.ofMillis(900));
        Reminders before = kit.stateOf(r);
        assertThat(before.getFired()).isEmpty();

        kit.advanceTime(Duration.ofMillis(300));
        kit.advanceTime(Duration.ofSeconds(5));
        Reminders after = kit.stateOf(r);
        assertThat(after.getFired()).containsExactly("tea");
        assertThat(after.getFiredAt()).containsExactly(scheduledAt + 1_000L);
    }

    @Test
    void aCancelledTimerNeverFires() {
        DomainRef r = ReminderDomain.REMINDER.ref("r");
        kit.send(r, new Remind("first", 1_000L, false));
        kit.send(r, new Remind("second", 1_000L, true));
        kit.advanceTime(Duration.ofSeconds(3));

        Reminders state = kit.stateOf(r);
        assertThat(state.getFired()).containsExactly("second");
    }

    @Test
    void messagesOverAnInstancesRateWaitInOrderAndAllArrive() {
        DomainRef f = FlakyDomain.FLAKY.ref("busy");
        for (long seq = 1; seq <= 12; seq++) {
            kit.send(f, new Flaky(seq, 0, 0L, 0L));
        }
        LedgerState early = kit.stateOf(f);
        assertThat(early.getEntries()).as("the burst of 2 passes at once, the rest wait").hasSizeLessThan(12);

        kit.advanceTime(Duration.ofSeconds(2));
        LedgerState late = kit.stateOf(f);
        assertThat(late.getEntries()).containsExactlyElementsOf(LongStream.rangeClosed(1, 12).boxed().toList());
        assertThat(kit.deadLetters()).isEmpty();
    }

    @Test
    void sendsOverASendersRateAreHeldInItsOutboxThenReleasedInOrder() {
        DomainRef sender = LedgerDomain.LEDGER.ref("chatty");
        DomainRef sink = LedgerDomain.AUDIT.ref("sink");
        for (long seq = 1; seq <= 10; seq++) {
            kit.send(sender, new Append(seq, false, sink.toString()));
        }
        LedgerState senderState = kit.stateOf(sender);
        assertThat(senderState.getEntries()).as("handling is not limited").hasSize(10);
        LedgerState early = kit.stateOf(sink);
        assertThat(early.getEntries()).as("only the burst left at once").hasSizeLessThan(10);

        kit.advanceTime(Duration.ofSeconds(3));
        LedgerState late = kit.stateOf(sink);
        assertThat(late.getEntries()).containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
    }
}
