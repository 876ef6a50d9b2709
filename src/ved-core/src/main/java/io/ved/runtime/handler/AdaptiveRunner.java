package io.ved.runtime.handler;

import io.ved.envelope.Envelope;
import java.util.function.Supplier;

/**
 * {@code handlerThread: stream} (the default): the handler runs on the stream thread under the watchdog, until one
 * of its domain type's handlers ignores the interrupt at the limit; from then on on a separate thread, which can
 * abandon it (see {@link HandlerIsolation}).
 */
final class AdaptiveRunner implements HandlerRunner {
    private final String domainType;
    private final HandlerIsolation isolation;
    private final WatchedRunner watched;
    private final Supplier<SeparateThreadRunner> separateThread;
    private SeparateThreadRunner separate;

    AdaptiveRunner(String domainType, HandlerIsolation isolation, WatchedRunner watched,
                   Supplier<SeparateThreadRunner> separateThread) {
        this.domainType = domainType;
        this.isolation = isolation;
        this.watched = watched;
        this.separateThread = separateThread;
    }

    @Override
    public <T> T run(Envelope message, Supplier<T> handler) {
        if (!isolation.isolated(domainType)) {
            return watched.run(message, handler);
        }
        if (separate == null) {
            separate = separateThread.get();
        }
        return separate.run(message, handler);
    }

    @Override
    public void close() {
        watched.close();
        if (separate != null) {
            separate.close();
        }
    }
}
