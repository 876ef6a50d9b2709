package io.ved.runtime;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs handlers with a time limit. A handler that overruns would keep the task's transaction open until the
 * broker aborts it and fences the instance out of its group, stalling every instance on the partition; so
 * the call is abandoned at the limit (its thread interrupted and replaced) and the message dead-lettered.
 * With no limit the handler runs on the stream thread itself.
 */
final class HandlerRunner implements AutoCloseable {
    private final Duration limit;
    private final String threadName;
    private ExecutorService executor;

    HandlerRunner(Duration limit, String threadName) {
        this.limit = limit;
        this.threadName = threadName;
    }

    /** Thrown when a handler runs past its limit. */
    static final class HandlerTimeoutException extends RuntimeException {
        HandlerTimeoutException(Duration limit) {
            super("the handler ran longer than its limit of " + limit.toMillis()
                    + " ms (handlerTimeoutMs in the topology file) and was abandoned");
        }
    }

    <T> T run(Supplier<T> handler) {
        if (limit.isZero()) {
            return handler.get();
        }
        Future<T> call = executor().submit(handler::get);
        try {
            return call.get(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            executor.shutdownNow();
            executor = null;
            throw new HandlerTimeoutException(limit);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a handler", e);
        }
    }

    private ExecutorService executor() {
        if (executor == null) {
            executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
            });
        }
        return executor;
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
