package io.ved.api;

import io.ved.runtime.VedRuntime;
import java.nio.file.Path;
import java.util.List;

/**
 * The entry point of a Ved application: the topology file plus the domain definitions it runs.
 *
 * <pre>{@code
 * try (Ved ved = Ved.builder()
 *         .topologyFile(Path.of("topology/example.yaml"))
 *         .domain(BillingDomain.definition())
 *         .domain(InventoryDomain.definition())
 *         .bootstrapServers("127.0.0.1:9092")
 *         .schemaRegistry("http://127.0.0.1:8081/apis/ccompat/v7")
 *         .build()) {
 *     ved.start();
 *     ...
 * }
 * }</pre>
 */
public final class Ved implements AutoCloseable {
    private final VedRuntime runtime;

    private Ved(VedRuntime runtime) {
        this.runtime = runtime;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Registers the schemas, then starts processing; returns once the application is running. */
    public void start() {
        runtime.start();
    }

    /** Whether the application is running (or rebalancing) and has not failed. */
    public boolean isRunning() {
        return runtime.isRunning();
    }

    /** Waits until the application processes messages (partitions assigned, state restored); false if not in time. */
    public boolean awaitRunning(java.time.Duration timeout) throws InterruptedException {
        return runtime.awaitRunning(timeout);
    }

    /**
     * The stream threads of this instance that are processing (running, or taking part in a rebalance); the
     * configured {@code num.stream.threads} while all is well, 0 before {@link #start()}. A thread stuck for good in a
     * handler that ignores its interrupt is not counted: Ved replaces its Kafka Streams instance, so this number comes
     * back to the configured one. Thread-safe.
     */
    public int workingStreamThreads() {
        return runtime.workingStreamThreads();
    }

    /** Where the state endpoint listens ({@link Builder#stateEndpoint}), once started; empty without one. */
    public java.util.Optional<java.net.InetSocketAddress> stateEndpoint() {
        return runtime.stateEndpoint();
    }

    /** Stops processing, committing what was handled; safe to call twice. */
    @Override
    public void close() {
        runtime.close();
    }

    /** Collects what a Ved application needs; only the topology file and one domain are required. Not thread-safe. */
    public static final class Builder {
        private final VedRuntime.Builder runtime = VedRuntime.builder();

        private Builder() {
        }

        /**
         * The topology file to run (read and checked now).
         *
         * @throws io.ved.runtime.topology.TopologyFileException when it is missing or invalid, naming the line and the fix
         */
        public Builder topologyFile(Path file) {
            runtime.topologyFile(file);
            return this;
        }

        /** A topology file on the classpath, e.g. {@code ved/topology/example.yaml}; read and checked now. */
        public Builder topologyResource(String resource) {
            runtime.topologyResource(resource);
            return this;
        }

        /** A domain to run here; its type must be in the topology file (checked by {@link #build()}). */
        public Builder domain(DomainDefinition<?> definition) {
            runtime.domain(definition);
            return this;
        }

        public Builder domains(List<? extends DomainDefinition<?>> definitions) {
            runtime.domains(definitions);
            return this;
        }

        /** The Kafka brokers (default {@code 127.0.0.1:9092}). */
        public Builder bootstrapServers(String bootstrapServers) {
            runtime.bootstrapServers(bootstrapServers);
            return this;
        }

        /** The base URL of a Confluent-compatible registry API (for Apicurio: {@code .../apis/ccompat/v7}). */
        public Builder schemaRegistry(String url) {
            runtime.schemaRegistry(url);
            return this;
        }

        /** Where the domains' local state lives; it is rebuilt from the changelog topics when missing. */
        public Builder stateDir(Path dir) {
            runtime.stateDir(dir);
            return this;
        }

        /**
         * Any Kafka Streams setting, overriding Ved's defaults (e.g. {@code num.stream.threads}); one that weakens
         * exactly-once processing is refused by {@link #build()} unless {@code ved.allow.weaker.guarantee=true}.
         */
        public Builder streamsConfig(String key, Object value) {
            runtime.streamsConfig(key, value);
            return this;
        }

        /**
         * Kafka client settings from a properties file, the Kafka tools' {@code --command-config} convention: e.g.
         * {@code security.protocol=SASL_SSL}, {@code sasl.mechanism=SCRAM-SHA-512}, {@code sasl.jaas.config=...},
         * {@code ssl.truststore.location=...}. Each is given to every client of the application (Kafka Streams passes
         * them on to its consumers, producers and admin client) as {@link #streamsConfig(String, Object)} would.
         * Kafka's own logs print password settings as {@code [hidden]}; Ved never prints them.
         *
         * @throws IllegalArgumentException naming the file when it cannot be read
         */
        public Builder clientConfig(Path propertiesFile) {
            try {
                io.ved.runtime.ClientConfigFile.read(propertiesFile).forEach(this::streamsConfig);
            } catch (java.io.IOException | RuntimeException e) {
                throw new IllegalArgumentException("cannot read the client config file " + propertiesFile + " ("
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                        + "): give a readable Java properties file of Kafka client settings");
            }
            return this;
        }

        /**
         * Static membership: this instance's stable name in its application's consumer group (Kafka's
         * {@code group.instance.id}; each stream thread joins as {@code <id>-<n>}). An instance restarted with the same
         * id within the session timeout (10 s by Ved's default) gets its tasks back without a rebalance; the other
         * side of it is that a killed instance's partitions wait out that timeout before another instance takes them.
         * Each running instance of an application needs its own id.
         *
         * @throws IllegalArgumentException when the id is null, blank or contains whitespace
         */
        public Builder instanceId(String id) {
            runtime.instanceId(id);
            return this;
        }

        /**
         * How many warm copies of each task's state other instances keep (Kafka Streams' {@code num.standby.replicas};
         * 0 by default). With 1, a failed instance's tasks resume on an instance that already holds a nearly current
         * copy of their state, instead of restoring it from the changelog. It takes effect only with that many more
         * instances running.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder standbyReplicas(int replicas) {
            runtime.standbyReplicas(replicas);
            return this;
        }

        /**
         * Kafka's streams rebalance protocol (KIP-1071, {@code group.protocol=streams}): the group coordinator on the
         * broker computes the task assignment and hands it out with heartbeats, instead of a stop-the-world rebalance
         * computed by one client. The brokers must offer it (Kafka 4.2 or later). Its limits in Kafka 4.4: standby
         * replicas are a setting of the group on the broker ({@code streams.num.standby.replicas}, set with
         * {@code kafka-configs --entity-type groups}), not {@link #standbyReplicas(int)}, and there are no warm-up
         * replicas. {@code docs/RELIABILITY.md} compares it with the classic protocol under faults.
         */
        public Builder streamsRebalanceProtocol() {
            runtime.streamsRebalanceProtocol();
            return this;
        }

        /**
         * Transactional state stores (KIP-892, {@code enable.transactional.statestores}): writes are buffered and
         * reach the store only when their changelog transaction commits, so after a crash an exactly-once task keeps
         * its local state and replays only what it had not committed, instead of wiping the store and restoring it
         * from the changelog. {@code docs/RELIABILITY.md} measures what that saves.
         */
        public Builder transactionalStateStores() {
            runtime.transactionalStateStores();
            return this;
        }

        /** How long {@link Ved#start()} waits for a broker to answer before it fails (default 30 s). */
        public Builder brokerWait(java.time.Duration wait) {
            runtime.brokerWait(wait);
            return this;
        }

        /**
         * Opens an HTTP endpoint on this host and port (0: any free port) that answers {@code GET /state/{type}/{id}}
         * with the live state of a domain instance, forwarding to the instance of the application that hosts it
         * ({@code ved state} uses it); {@code GET /metrics} with the process's meters in the Prometheus text format;
         * and {@code GET /health/live} and {@code /health/ready} (200 or 503, the reason in the body) for Kubernetes'
         * probes. It has no authentication: bind it to loopback ({@code 127.0.0.1}) unless the network is trusted.
         */
        public Builder stateEndpoint(String host, int port) {
            runtime.stateEndpoint(host, port);
            return this;
        }

        /**
         * @throws io.ved.runtime.topology.TopologyFileException when no topology file was given, a domain does not
         *                                                       match it, or a setting would weaken the guarantee
         */
        public Ved build() {
            return new Ved(runtime.build());
        }
    }
}
