package io.ved.runtime;

import io.ved.envelope.registry.RegistryUnavailableException;
import java.time.Duration;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stream thread does when processing throws past the mailbox (which handles every bad message
 * itself). An unreachable schema registry is an outage, not a bad record: the thread is replaced after a
 * pause, its uncommitted transaction is aborted, and the same records are processed again once the registry
 * answers, so processing waits and resumes with nothing lost. Anything else stops the application loudly.
 */
final class StreamFailurePolicy implements StreamsUncaughtExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(StreamFailurePolicy.class);
    static final Duration PAUSE_BEFORE_RETRY = Duration.ofSeconds(2);

    private final String application;

    StreamFailurePolicy(String application) {
        this.application = application;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable error) {
        if (isRegistryOutage(error)) {
            LOG.warn("{}: the schema registry is unreachable ({}); processing waits and retries in {} s",
                    application, rootMessage(error), PAUSE_BEFORE_RETRY.toSeconds());
            pause();
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        if (isBrokerTrouble(error) && replacements.allowAnother(System.nanoTime())) {
            LOG.warn("{}: a transaction failed while the broker was unavailable ({}); replacing the stream thread",
                    application, rootMessage(error));
            pause();
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        LOG.error("Ved application {} stopped on an unexpected error", application, error);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /**
     * A broker restart can leave a transaction in a state Kafka Streams does not recover from by itself (for
     * example {@code InvalidTxnStateException} on commit). The aborted work is redone by a new thread; only a
     * storm of such failures, which no broker restart explains, stops the application.
     */
    static boolean isBrokerTrouble(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.InvalidTxnStateException
                    || t instanceof org.apache.kafka.common.errors.RetriableException
                    || t instanceof org.apache.kafka.common.errors.ProducerFencedException) {
                return true;
            }
        }
        return false;
    }

    private final ReplacementBudget replacements = new ReplacementBudget(10, java.time.Duration.ofMinutes(5));

    /** At most {@code max} thread replacements within a sliding window. */
    static final class ReplacementBudget {
        private final int max;
        private final long windowNanos;
        private final java.util.ArrayDeque<Long> recent = new java.util.ArrayDeque<>();

        ReplacementBudget(int max, java.time.Duration window) {
            this.max = max;
            this.windowNanos = window.toNanos();
        }

        synchronized boolean allowAnother(long now) {
            while (!recent.isEmpty() && now - recent.peekFirst() > windowNanos) {
                recent.pollFirst();
            }
            if (recent.size() >= max) {
                return false;
            }
            recent.addLast(now);
            return true;
        }
    }

    static boolean isRegistryOutage(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RegistryUnavailableException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_BEFORE_RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
