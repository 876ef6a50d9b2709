package io.ved.runtime.handler;

import io.ved.envelope.Envelope;
import java.time.Duration;
import io.ved.envelope.Envelope;
import java.util.concurrent.ExecutionException;
import io.ved.envelope.Envelope;
import java.util.concurrent.ExecutorService;
import io.ved.envelope.Envelope;
import java.util.concurrent.Executors;
import io.ved.envelope.Envelope;
import java.util.concurrent.Future;
import io.ved.envelope.Envelope;
import java.util.concurrent.TimeUnit;
import io.ved.envelope.Envelope;
import java.util.concurrent.TimeoutException;
import io.ved.envelope.Envelope;
import java.util.function.Supplier;

/**
 * {@code handlerThread: separate}: each call is handed to a thread of its own and waited for; at the limit the
 * call is abandoned (its thread interrupted and replaced), so even a handler that loops for ever cannot hold its
 * partition. The hand-off costs two thread wake-ups per message.
 */
final class SeparateThreadRunner implements HandlerRunner {
    private final Duration limit;
    private final String threadName;
    private ExecutorService executor;

    SeparateThreadRunner(Duration limit, String threadName) {
        this.limit = limit;
        this.threadName = threadName;
    }

    @Override
    public <T> T run(Envelope message, Supplier<T> handler) {
        Future<T> future = executor().submit(handler::get);
        try {
            return future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            executor.shutdownNow();
            executor = null;
            throw new HandlerRunner.HandlerTimeoutException(limit, "was abandoned");
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
