package io.ved.runtime.handler;

import io.ved.envelope.Envelope;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one application has learnt about handlers the stream thread cannot stop. A domain type one of whose handlers
 * ignored the interrupt at its limit is <em>isolated</em>: from then on, in this application, its handlers run on a
 * separate thread, which abandons them at the limit. A handler that goes on ignoring it is <em>stuck</em>: its
 * message is recorded as abandoned in {@link AbandonedMessages} (so no process runs it again) and the
 * {@link StuckThreadListener} is told, so that the stuck stream thread can be replaced. Shared by every task of the
 * application, so a task that moves between threads keeps what was learnt. Thread-safe.
 */
public final class HandlerIsolation {
    private static final Logger log = LoggerFactory.getLogger(HandlerIsolation.class);

    /** Told of a stream thread stuck in a handler, after the message was recorded as abandoned. */
    @FunctionalInterface
    public interface StuckThreadListener {
        /** Called on Ved's own thread, never on a stream thread or the watchdog. */
        void stuck(Thread thread, Envelope message);
    }

    private final Set<String> isolated = ConcurrentHashMap.newKeySet();
    private final AbandonedMessages abandoned;
    private final StuckThreadListener listener;
    /** Records and tells one stuck call at a time, away from the watchdog, whose rounds must not wait on a broker. */
    private final ExecutorService reporter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ved-abandoned-reporter");
        t.setDaemon(true);
        return t;
    });

    /** Abandoned messages kept in memory, and nobody told of a stuck thread: for the test kit and benchmarks. */
    public HandlerIsolation() {
        this(AbandonedMessages.inMemory(), (thread, message) -> {
        });
    }

    public HandlerIsolation(AbandonedMessages abandoned, StuckThreadListener listener) {
        this.abandoned = abandoned;
        this.listener = listener;
    }

    public boolean isolated(String domainType) {
        return isolated.contains(domainType);
    }

    /** Why the message was abandoned earlier, by this process or another; empty for nearly every message. */
    public Optional<String> abandoned(Envelope message) {
        return abandoned.why(message);
    }

    void isolate(String domainType, Envelope message, Duration limit) {
        if (isolated.add(domainType)) {
            log.warn("The handler of {} for {} message {} ignored the interrupt at its limit of {} ms: from now on {}'s "
                            + "handlers run on a separate thread (as with 'handlerThread: separate'), which abandons a "
                            + "handler at the limit", message.subject(), message.type(), message.id(), limit.toMillis(),
                    domainType);
        }
    }

    /** A call on {@code thread} ran on far past its limit: record its message as abandoned, then tell the listener. */
    void stuck(Thread thread, Envelope message, Duration limit, Duration ran) {
        String why = "the handler ran longer than its limit of " + limit.toMillis() + " ms (handlerTimeoutMs in the "
                + "topology file), ignored its interrupt and was still running after " + ran.toMillis() + " ms on "
                + thread.getName() + " at " + Instant.now() + "; the message was abandoned and is not run again";
        reporter.execute(() -> {
            try {
                abandoned.record(message, why);
            } catch (RuntimeException e) {
                log.error("Could not record {} message {} for {} as abandoned ({}): a process that reads it again runs "
                        + "its handler again", message.type(), message.id(), message.subject(), e.toString());
            }
            try {
                listener.stuck(thread, message);
            } catch (RuntimeException e) {
                log.error("Replacing stream thread {}, stuck in a handler, failed", thread.getName(), e);
            }
        });
    }
}
