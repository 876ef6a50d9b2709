package io.ved.tooling.verify;

import io.ved.tooling.stack.EmbeddedKafka;
import io.ved.tooling.stack.LocalKafka;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The verifier's network fault: one app process reaches the brokers only through a {@link BlackHoleProxy} per
 * broker. Each broker has a listener of its own for that process ({@value #LISTENER}) whose advertised address is
 * the proxy's, so the metadata that process gets keeps all its connections (bootstrap, leaders, coordinators) on
 * the proxies, while every other client talks to the brokers directly. {@link #blackHole()} then cuts that one
 * process off without a single error on its sockets.
 */
final class NetworkFault implements AutoCloseable {
    static final String LISTENER = "FAULTY";

    private final List<LocalKafka.Listener> listeners = new ArrayList<>();
    private final List<BlackHoleProxy> proxies = new ArrayList<>();

    /** Ports and proxies for {@code brokers} nodes; pass {@link #listener(int)} to each node before it starts. */
    NetworkFault(int brokers) {
        for (int i = 0; i < brokers; i++) {
            LocalKafka.Listener listener = new LocalKafka.Listener(LISTENER, EmbeddedKafka.freePort(), EmbeddedKafka.freePort());
            listeners.add(listener);
            proxies.add(new BlackHoleProxy(listener.advertisedPort(), listener.port()));
        }
    }

    /** The listener of node {@code nodeId} (from 1). */
    LocalKafka.Listener listener(int nodeId) {
        return listeners.get(nodeId - 1);
    }

    /** What the proxied process bootstraps with. */
    String bootstrapServers() {
        return proxies.stream().map(p -> "127.0.0.1:" + p.port()).collect(Collectors.joining(","));
    }

    void blackHole() {
        proxies.forEach(BlackHoleProxy::blackHole);
    }

    void restore() {
        proxies.forEach(BlackHoleProxy::restore);
    }

    @Override
    public void close() {
        proxies.forEach(BlackHoleProxy::close);
    }
}
