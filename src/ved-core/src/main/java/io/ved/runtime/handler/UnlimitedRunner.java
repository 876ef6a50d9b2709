package io.ved.runtime.handler;

import io.ved.envelope.Envelope;
import java.util.function.Supplier;

/** {@code handlerTimeoutMs: 0}: the handler runs on the calling thread for as long as it takes. */
final class UnlimitedRunner implements HandlerRunner {
    @Override
    public <T> T run(Envelope message, Supplier<T> handler) {
        return handler.get();
    }

    @Override
    public void close() {
    }
}
