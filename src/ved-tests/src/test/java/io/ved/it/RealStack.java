package io.ved.it;

import io.ved.testkit.VedStack;
import io.ved.tooling.stack.EmbeddedKafka;

/**
 * The run's real Kafka broker (KRaft, in this JVM) and Apicurio registry, as Ved's own integration tests use them:
 * the test kit's {@link VedStack}, which users' integration tests get the same way.
 */
public final class RealStack {
    private static RealStack instance;

    private final VedStack stack;

    private RealStack(VedStack stack) {
        this.stack = stack;
    }

    public static synchronized RealStack get() {
        if (instance == null) {
            instance = new RealStack(VedStack.shared());
        }
        return instance;
    }

    public String bootstrap() {
        return stack.bootstrapServers();
    }

    public String registryUrl() {
        return stack.registryUrl();
    }

    public EmbeddedKafka kafka() {
        return stack.broker();
    }
}
