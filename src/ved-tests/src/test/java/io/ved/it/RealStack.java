package io.ved.it;

import io.ved.tooling.stack.EmbeddedKafka;
import io.ved.tooling.stack.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real Kafka broker (KRaft, in this JVM) and one real Apicurio registry (a child process), shared by
 * every integration test of the run: starting them costs seconds, and tests keep apart by using their own
 * topics and application ids.
 */
public final class RealStack {
    private static RealStack instance;

    private final EmbeddedKafka kafka;
    private final LocalRegistry registry;

    private RealStack(EmbeddedKafka kafka, LocalRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    public static synchronized RealStack get() {
        if (instance == null) {
            try {
                Path work = Files.createTempDirectory("ved-it");
                EmbeddedKafka kafka = EmbeddedKafka.builder().logDir(work.resolve("kafka")).deleteOnClose(true).start();
                LocalRegistry registry = LocalRegistry.start(LocalRegistry.ensureDistribution(), work.resolve("registry"));
                instance = new RealStack(kafka, registry);
                Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "ved-it-stack-stop"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return instance;
    }

    public String bootstrap() {
        return kafka.bootstrapServers();
    }

    public String registryUrl() {
        return registry.ccompatUrl();
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    private void stop() {
        registry.close();
        kafka.close();
    }
}
