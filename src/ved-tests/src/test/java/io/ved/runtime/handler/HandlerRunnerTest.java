package io.ved.runtime.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ved.api.DomainRef;
import io.ved.api.MessageId;
import io.ved.envelope.Envelope;
import io.ved.runtime.handler.HandlerRunner.HandlerTimeoutException;
import io.ved.runtime.topology.HandlerThread;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The handler time limit in both places a handler can run. On the stream thread (the default) a handler that
 * waits is interrupted at the limit, one that is merely slow has its result discarded, and the calling thread is
 * left without the interrupt; on a separate thread even a handler that never returns is abandoned.
 */
class HandlerRunnerTest {
    private static final Duration LIMIT = Duration.ofMillis(300);
    private static final Envelope MESSAGE = Envelope.root(new MessageId("m-1"), "x.Work", "/test",
            DomainRef.parse("WorkDomain[7]"), Instant.parse("2026-01-01T00:00:00Z"), Optional.empty());

    @Test
    void aHandlerWithinItsLimitRunsOnTheCallingThreadAndItsResultCounts() {
        try (HandlerRunner runner = HandlerRunner.of(LIMIT, HandlerThread.STREAM, "t")) {
            AtomicReference<Thread> ranOn = new AtomicReference<>();

            String result = runner.run(MESSAGE, () -> {
                ranOn.set(Thread.currentThread());
                return "done";
            });

            assertThat(result).isEqualTo("done");
            assertThat(ranOn.get()).isSameAs(Thread.currentThread());
        }
    }

    @Test
    void aHandlersOwnExceptionPassesThroughUnchanged() {
        try (HandlerRunner runner = HandlerRunner.of(LIMIT, HandlerThread.STREAM, "t")) {
            assertThatThrownBy(() -> runner.run(MESSAGE, () -> {
                throw new IllegalStateException("out of stock");
            })).isExactlyInstanceOf(IllegalStateException.class).hasMessage("out of stock");
        }
    }

    @Test
    void onTheStreamThreadAWaitingHandlerIsInterruptedAtItsLimitAndTheThreadKeepsNoInterrupt() {
        try (HandlerRunner runner = HandlerRunner.of(LIMIT, HandlerThread.STREAM, "t")) {
            long started = System.nanoTime();

            assertThatThrownBy(() -> runner.run(MESSAGE, () -> sleep(Duration.ofSeconds(30))))
                    .isInstanceOf(HandlerTimeoutException.class)
                    .hasMessageContaining("longer than its limit of 300 ms")
                    .hasMessageContaining("was interrupted");

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt was meant for the handler").isFalse();
            assertThat(runner.run(MESSAGE, () -> "next")).as("the next call runs normally").isEqualTo("next");
        }
    }

    @Test
    void onTheStreamThreadAHandlerThatIgnoresTheInterruptHasItsResultDiscardedWhenItReturns() {
        try (HandlerRunner runner = HandlerRunner.of(LIMIT, HandlerThread.STREAM, "t")) {
            assertThatThrownBy(() -> runner.run(MESSAGE, () -> busyFor(LIMIT.multipliedBy(3))))
                    .isInstanceOf(HandlerTimeoutException.class)
                    .hasMessageContaining("discarded");
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        }
    }

    @Test
    void onASeparateThreadAHandlerThatNeverReturnsIsAbandonedAtItsLimit() {
        AtomicBoolean stillSpinning = new AtomicBoolean(true);
        try (HandlerRunner runner = HandlerRunner.of(LIMIT, HandlerThread.SEPARATE, "t")) {
            long started = System.nanoTime();

            assertThatThrownBy(() -> runner.run(MESSAGE, () -> {
                while (stillSpinning.get()) {
                    Thread.onSpinWait(); // ignores interrupts: a loop
                }
                return "never";
            })).isInstanceOf(HandlerTimeoutException.class).hasMessageContaining("abandoned");

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertThat(runner.run(MESSAGE, () -> "next")).as("a fresh thread takes the next call").isEqualTo("next");
        } finally {
            stillSpinning.set(false);
        }
    }

    @Test
    void aDomainTypeWhoseHandlerIgnoredTheInterruptMovesToASeparateThreadForEveryTaskOfTheApplication() {
        HandlerIsolation isolation = new HandlerIsolation();
        AtomicBoolean spinning = new AtomicBoolean(true);
        try (HandlerRunner task0 = HandlerRunner.of(LIMIT, HandlerThread.STREAM, "WorkDomain", isolation, "t0");
             HandlerRunner task1 = HandlerRunner.of(LIMIT, HandlerThread.STREAM, "WorkDomain", isolation, "t1");
             HandlerRunner other = HandlerRunner.of(LIMIT, HandlerThread.STREAM, "OtherDomain", isolation, "t2")) {
            assertThatThrownBy(() -> task0.run(MESSAGE, () -> busyFor(LIMIT.multipliedBy(3))))
                    .isInstanceOf(HandlerTimeoutException.class).hasMessageContaining("discarded");
            assertThat(isolation.isolated("WorkDomain")).as("it ignored the interrupt").isTrue();
            assertThat(isolation.isolated("OtherDomain")).isFalse();

            long started = System.nanoTime();
            assertThatThrownBy(() -> task1.run(MESSAGE, () -> {
                while (spinning.get()) {
                    Thread.onSpinWait(); // would hold the stream thread for ever
                }
                return "never";
            })).isInstanceOf(HandlerTimeoutException.class).hasMessageContaining("abandoned");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));

            AtomicReference<Thread> ranOn = new AtomicReference<>();
            other.run(MESSAGE, () -> ranOn.getAndSet(Thread.currentThread()));
            assertThat(ranOn.get()).as("a well-behaved type stays on the calling thread").isSameAs(Thread.currentThread());
        } finally {
            spinning.set(false);
        }
    }

    @Test
    void aCallStillRunningAtTwiceItsLimitIsRecordedAsAbandonedAndItsThreadReportedStuckOnce() throws Exception {
        AbandonedMessages abandoned = AbandonedMessages.inMemory();
        java.util.List<Thread> stuck = new java.util.concurrent.CopyOnWriteArrayList<>();
        HandlerIsolation isolation = new HandlerIsolation(abandoned, (thread, message) -> {
            assertThat(abandoned.why(message)).as("recorded before the listener is told").isPresent();
            stuck.add(thread);
        });
        AtomicBoolean looping = new AtomicBoolean(true);
        AtomicReference<Thread> caller = new AtomicReference<>();
        Thread streamThread = new Thread(() -> {
            try (HandlerRunner runner = HandlerRunner.of(LIMIT, HandlerThread.STREAM, "WorkDomain", isolation, "t")) {
                caller.set(Thread.currentThread());
                runner.run(MESSAGE, () -> {
                    while (looping.get()) {
                        Thread.onSpinWait(); // deaf to the interrupt
                    }
                    return "late";
                });
            } catch (HandlerTimeoutException expected) {
                // once released
            }
        }, "stream-thread-under-test");
        streamThread.start();
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !stuck.isEmpty());
            // still the one report while the call goes on for three more limits
            org.awaitility.Awaitility.await().during(LIMIT.multipliedBy(3)).atMost(LIMIT.multipliedBy(5))
                    .untilAsserted(() -> assertThat(stuck).as("reported once").containsExactly(streamThread));
            assertThat(abandoned.why(MESSAGE)).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .contains("longer than its limit of 300 ms", "ignored its interrupt", "stream-thread-under-test",
                            "not run again");
            Envelope another = Envelope.root(new MessageId("m-2"), "x.Work", "/test",
                    DomainRef.parse("WorkDomain[7]"), Instant.parse("2026-01-01T00:00:00Z"), Optional.empty());
            assertThat(abandoned.why(another)).as("only that message").isEmpty();
        } finally {
            looping.set(false);
            streamThread.join(5_000);
        }
    }

    @Test
    void aHandlerThatStopsWhenInterruptedDoesNotMoveItsTypeToASeparateThread() {
        HandlerIsolation isolation = new HandlerIsolation();
        try (HandlerRunner runner = HandlerRunner.of(LIMIT, HandlerThread.STREAM, "WorkDomain", isolation, "t")) {
            assertThatThrownBy(() -> runner.run(MESSAGE, () -> sleep(Duration.ofSeconds(30))))
                    .isInstanceOf(HandlerTimeoutException.class);
            assertThat(isolation.isolated("WorkDomain")).isFalse();
        }
    }

    @Test
    void withoutALimitAHandlerRunsAsLongAsItTakes() {
        try (HandlerRunner runner = HandlerRunner.of(Duration.ZERO, HandlerThread.STREAM, "t")) {
            assertThat(runner.run(MESSAGE, () -> busyFor(Duration.ofMillis(400)))).isEqualTo("busy");
        }
    }

    @Test
    void theWatchdogForgetsAClosedRunner() {
        HandlerWatchdog watchdog = HandlerWatchdog.shared();
        WatchedRunner runner = new WatchedRunner(LIMIT, watchdog, message -> { }, (thread, message, ran) -> { });
        assertThat(watchdog.watches(runner)).isTrue();

        runner.close();

        assertThat(watchdog.watches(runner)).isFalse();
    }

    private static String sleep(Duration duration) {
        try {
            Thread.sleep(duration);
            return "slept";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private static String busyFor(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        return "busy";
    }
}
