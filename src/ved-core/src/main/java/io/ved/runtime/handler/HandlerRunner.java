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
        permits UnlimitedRunner, WatchedRunner, SeparateThreadRunner, AdaptiveRunner {

    /**
     * @param limit      zero for no limit
     * @param domainType whose handlers these are
     * @param isolation  the application's record of domain types whose handlers ignored an interrupt
     * @param threadName names the separate thread, when there is one
     */
    static HandlerRunner of(Duration limit, HandlerThread where, String domainType, HandlerIsolation isolation,
                            String threadName) {
        if (limit.isZero()) {
            return new UnlimitedRunner();
        }
        return switch (where) {
            case STREAM -> new AdaptiveRunner(domainType, isolation,
                    new WatchedRunner(limit, HandlerWatchdog.shared(), message -> isolation.isolate(domainType, message, limit),
                            (thread, message, ran) -> isolation.stuck(thread, message, limit, ran)),
                    () -> new SeparateThreadRunner(limit, threadName));
            case SEPARATE -> new SeparateThreadRunner(limit, threadName);
        };
    }

    /** A runner on its own, for benchmarks and tests: what it learns about its handlers stays with it. */
    static HandlerRunner of(Duration limit, HandlerThread where, String threadName) {
        return of(limit, where, threadName, new HandlerIsolation(), threadName);
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
