package io.ved.tooling.stack;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A Kafka broker (KRaft, as a local process) and an Apicurio schema registry on loopback, started fresh:
 * the registry keeps schemas in memory, so old Kafka data would name schema ids it no longer knows.
 */
public final class LocalStack implements AutoCloseable {
    private final LocalKafka kafka;
    private final LocalRegistry registry;

    private LocalStack(LocalKafka kafka, LocalRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    /** Starts both, printing progress; the first run downloads the registry (about 158 MB). */
    public static LocalStack start(Path workDir, PrintWriter progress) {
        StackFile.deleteTree(workDir);
        long t0 = System.nanoTime();
        progress.println("Starting Kafka 4.4.0 (KRaft, single node) ...");
        progress.flush();
        LocalKafka kafka = LocalKafka.builder(workDir.resolve("kafka")).start();
        progress.printf("  Kafka ready on %s in %.1f s (log: %s)%n", kafka.bootstrapServers(), seconds(t0), kafka.logFile());
        try {
            long t1 = System.nanoTime();
            progress.println("Starting Apicurio Registry " + LocalRegistry.VERSION + " ...");
            progress.flush();
            Path distribution = LocalRegistry.ensureDistribution();
            LocalRegistry registry = LocalRegistry.start(distribution, workDir.resolve("registry"));
            progress.printf("  Schema registry ready at %s in %.1f s (log: %s)%n", registry.ccompatUrl(), seconds(t1), registry.logFile());
            progress.flush();
            return new LocalStack(kafka, registry);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String registryUrl() {
        return registry.ccompatUrl();
    }

    /** Leaves both running after this JVM exits and returns what {@code ved down} needs to stop them. */
    public StackFile.Stack detach(Path workDir) {
        return new StackFile.Stack(bootstrapServers(), registryUrl(), kafka.detach(), registry.detach(),
                workDir.toString(), Instant.now());
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            kafka.close();
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
