package io.ved.runtime.handler;

import io.ved.envelope.Envelope;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code handlerThread: stream} (the default): the handler runs on the stream thread, which costs nothing per
 * message, and a {@link HandlerWatchdog} watches the call. Past the limit the watchdog interrupts the thread
 * (ending a handler that waits); whenever the call returns, its result is discarded and a
 * {@link HandlerRunner.HandlerTimeoutException} raised, so the message is dead-lettered as with a separate thread.
 * A handler that goes on well past the interrupt is reported to {@code onIgnoredInterrupt} (which moves its domain
 * type to a separate thread for the next calls); one still running at twice its limit cannot be taken back from the
 * stream thread, so the watchdog logs where it is stuck and reports it to {@code onStuck} (which records the message as
 * abandoned and has the thread replaced).
 */
final class WatchedRunner implements HandlerRunner {
    private static final Logger log = LoggerFactory.getLogger(WatchedRunner.class);
    /** Values of {@link #call} that are not a call's start time. */
    private static final long IDLE = Long.MIN_VALUE;
    private static final long INTERRUPTING = Long.MIN_VALUE + 1;
    private static final long INTERRUPTED = Long.MIN_VALUE + 2;

    private final Duration limit;
    private final long limitNanos;
    /** How long after the interrupt a call still running counts as ignoring it. */
    private final long graceNanos;
    private final HandlerWatchdog watchdog;
    private final Consumer<Envelope> onIgnoredInterrupt;
    private final StuckCall onStuck;
    /**
     * The running call's start ({@link System#nanoTime()}) or one of the states above. The watchdog swaps a start
     * time it has judged overdue for INTERRUPTING, so it can never interrupt a later call by mistake.
     */
    private final AtomicLong call = new AtomicLong(IDLE);
    private volatile Thread thread;
    private volatile Envelope message;
    // Only the watchdog's thread reads and writes these three.
    private long interruptedCallStart;
    private boolean reportedIgnored;
    private boolean reportedStuck;

    /** Told once of a call still running at twice its limit: the thread it runs on is lost to it. */
    @FunctionalInterface
    interface StuckCall {
        void stuck(Thread thread, Envelope message, Duration ran);
    }

    /**
     * @param onIgnoredInterrupt told (once per call, or more) of a call that went on well past its interrupt
     * @param onStuck            told once of a call still running at twice its limit; called on the watchdog's thread,
     *                           so it must hand slow work on
     */
    WatchedRunner(Duration limit, HandlerWatchdog watchdog, Consumer<Envelope> onIgnoredInterrupt, StuckCall onStuck) {
        this.limit = limit;
        this.limitNanos = limit.toNanos();
        this.graceNanos = Math.max(limitNanos / 2, 2 * HandlerWatchdog.TICK.toNanos());
        this.watchdog = watchdog;
        this.onIgnoredInterrupt = onIgnoredInterrupt;
        this.onStuck = onStuck;
        watchdog.watch(this);
    }

    @Override
    public <T> T run(Envelope message, Supplier<T> handler) {
        this.message = message;
        this.thread = Thread.currentThread();
        long started = startTime();
        call.set(started);
        T result = null;
        RuntimeException failure = null;
        boolean interrupted;
        try {
            result = handler.get();
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            interrupted = finish(started);
        }
        if (interrupted) {
            if (System.nanoTime() - started > limitNanos + graceNanos) {
                onIgnoredInterrupt.accept(message);
            }
            throw new HandlerRunner.HandlerTimeoutException(limit, "was interrupted; what it did was discarded");
        }
        if (System.nanoTime() - started > limitNanos) {
            throw new HandlerRunner.HandlerTimeoutException(limit, "what it did was discarded");
        }
        if (failure != null) {
            throw failure;
        }
        return result;
    }

    /** A start time that cannot be mistaken for one of the states. */
    private static long startTime() {
        long now = System.nanoTime();
        return now <= INTERRUPTED ? INTERRUPTED + 1 : now;
    }

    /** Back to idle; true if the watchdog interrupted this call, whose interrupt is then taken off the thread. */
    private boolean finish(long started) {
        if (call.compareAndSet(started, IDLE)) {
            return false;
        }
        while (call.get() == INTERRUPTING) {
            Thread.onSpinWait();
        }
        Thread.interrupted(); // the interrupt was for the handler; Kafka Streams must not see it
        call.set(IDLE);
        return true;
    }

    /** The watchdog's round: interrupt a call past its limit; report once a call that ignores the interrupt. */
    void check(long now) {
        long current = call.get();
        if (current > INTERRUPTED && now - current > limitNanos && call.compareAndSet(current, INTERRUPTING)) {
            interruptedCallStart = current;
            reportedIgnored = false;
            reportedStuck = false;
            thread.interrupt();
            call.set(INTERRUPTED);
        } else if (current == INTERRUPTED && !reportedIgnored && now - interruptedCallStart > limitNanos + graceNanos) {
            reportedIgnored = true;
            onIgnoredInterrupt.accept(message);
        } else if (current == INTERRUPTED && !reportedStuck && now - interruptedCallStart > 2 * limitNanos) {
            reportedStuck = true;
            Thread stuck = thread;
            Envelope stuckOn = message;
            Duration ran = Duration.ofNanos(now - interruptedCallStart);
            log.error("The handler of {} for {} message {} has run {} ms, past its limit of {} ms, and ignored the interrupt: "
                            + "the message is recorded as abandoned (it is dead-lettered where it is read next, without "
                            + "running), stream thread {} is given up and replaced, and {}'s handlers now run on a separate "
                            + "thread, which abandons them at the limit. It is at: {}",
                    stuckOn.subject(), stuckOn.type(), stuckOn.id(), ran.toMillis(), limit.toMillis(), stuck.getName(),
                    stuckOn.subject().replaceFirst("\\[.*", ""),
                    Arrays.stream(stuck.getStackTrace()).limit(8).map(String::valueOf).collect(Collectors.joining(" < ")));
            onStuck.stuck(stuck, stuckOn, ran);
        }
    }

    @Override
    public void close() {
        watchdog.forget(this);
    }
}
