package io.ved.tooling.stack;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Kafka (one KRaft node, or a cluster of separate broker processes) and an Apicurio schema registry on loopback,
 * started fresh: the registry keeps schemas in memory, so old Kafka data would name schema ids it no longer knows.
 */
public final class LocalStack implements AutoCloseable {
    private final LocalKafka kafka;
    private final LocalCluster cluster;
    private final LocalRegistry registry;

    private LocalStack(LocalKafka kafka, LocalCluster cluster, LocalRegistry registry) {
        this.kafka = kafka;
        this.cluster = cluster;
        this.registry = registry;
    }

    /** A single-node stack; see {@link #start(Path, int, PrintWriter)}. */
    public static LocalStack start(Path workDir, PrintWriter progress) {
        return start(workDir, 1, progress);
    }

    /**
     * Starts Kafka ({@code brokers} nodes: 1 is a single combined node, more a {@link LocalCluster} with replication
     * factor 3 and {@code min.insync.replicas} 2) and the registry, printing progress; the first run downloads the
     * registry (about 158 MB).
     */
    public static LocalStack start(Path workDir, int brokers, PrintWriter progress) {
        StackFile.deleteTree(workDir);
        long t0 = System.nanoTime();
        LocalKafka kafka = null;
        LocalCluster cluster = null;
        if (brokers == 1) {
            progress.println("Starting Kafka 4.4.0 (KRaft, single node) ...");
            progress.flush();
            kafka = LocalKafka.builder(workDir.resolve("kafka")).start();
            progress.printf("  Kafka ready on %s in %.1f s (log: %s)%n", kafka.bootstrapServers(), seconds(t0), kafka.logFile());
        } else {
            progress.println("Starting a Kafka 4.4.0 cluster of " + brokers + " KRaft nodes (each broker and controller; "
                    + "replication factor " + Math.min(3, brokers) + ", min.insync.replicas " + Math.min(2, brokers) + ") ...");
            progress.flush();
            cluster = LocalCluster.start(workDir.resolve("kafka"), brokers);
            progress.printf("  Kafka ready on %s in %.1f s (logs: %s/node-*/logs/server.log)%n", cluster.bootstrapServers(),
                    seconds(t0), workDir.resolve("kafka"));
        }
        try {
            long t1 = System.nanoTime();
            progress.println("Starting Apicurio Registry " + LocalRegistry.VERSION + " ...");
            progress.flush();
            Path distribution = LocalRegistry.ensureDistribution();
            LocalRegistry registry = LocalRegistry.start(distribution, workDir.resolve("registry"));
            progress.printf("  Schema registry ready at %s in %.1f s (log: %s)%n", registry.ccompatUrl(), seconds(t1), registry.logFile());
            progress.flush();
            return new LocalStack(kafka, cluster, registry);
        } catch (RuntimeException e) {
            if (kafka != null) {
                kafka.close();
            } else {
                cluster.close();
            }
            throw e;
        }
    }

    public String bootstrapServers() {
        return kafka != null ? kafka.bootstrapServers() : cluster.bootstrapServers();
    }

    public String registryUrl() {
        return registry.ccompatUrl();
    }

    /** Leaves both running after this JVM exits and returns what {@code ved down} needs to stop them. */
    public StackFile.Stack detach(Path workDir) {
        List<Long> pids = kafka != null ? List.of(kafka.detach()) : cluster.detach();
        return new StackFile.Stack(bootstrapServers(), registryUrl(), pids.getFirst(), registry.detach(),
                workDir.toString(), Instant.now(), pids);
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            if (kafka != null) {
                kafka.close();
            } else {
                cluster.close();
            }
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
