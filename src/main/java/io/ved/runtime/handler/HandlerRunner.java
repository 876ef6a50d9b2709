package io.ved.runtime.handler;

import io.ved.envelope.Envelope;
import io.ved.runtime.topology.HandlerThread;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Runs a domain's handler calls under its time limit. A handler that overruns would keep the task's transaction
 * open until the broker aborted it and fenced the instance out of its group; so a call past its limit ends in a
 * {@link HandlerTimeoutException} and the caller dead-letters the message instead of applying its result.
 */
public sealed interface HandlerRunner extends AutoCloseable
        permits UnlimitedRunner, WatchedRunner, SeparateThreadRunner {

    /**
     * @param limit      zero for no limit
     * @param threadName names the separate thread, when there is one
     */
    static HandlerRunner of(Duration limit, HandlerThread where, String threadName) {
        if (limit.isZero()) {
            return new UnlimitedRunner();
        }
        return switch (where) {
            case STREAM -> new WatchedRunner(limit, HandlerWatchdog.shared());
            case SEPARATE -> new SeparateThreadRunner(limit, threadName);
        };
    }

    /**
     * @param message the envelope of the message being handled, named in the log line about a handler stuck
     *                past its limit
     */
    <T> T run(Envelope message, Supplier<T> handler);

    @Override
    void close();

    /** Thrown when a handler runs past its limit. */
    final class HandlerTimeoutException extends RuntimeException {
        HandlerTimeoutException(Duration limit, String what) {
            super("the handler ran longer than its limit of " + limit.toMillis()
                    + " ms (handlerTimeoutMs in the topology file) and " + what);
        }
    }
}
