package io.ved.api;

import io.ved.runtime.VedRuntime;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileException;
import io.ved.runtime.topology.TopologyFileReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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

    /** Collects what a Ved application needs; only the topology file and one domain are required. */
    public static final class Builder {
        private TopologyFile topology;
        private final List<DomainDefinition<?>> domains = new ArrayList<>();
        private String bootstrapServers = "127.0.0.1:9092";
        private String schemaRegistryUrl = "http://127.0.0.1:8081/apis/ccompat/v7";
        private Path stateDir = Path.of(System.getProperty("java.io.tmpdir"), "ved-state");
        private final Map<String, Object> streamsConfig = new LinkedHashMap<>();
        private VedRuntime.QueryEndpoint queryEndpoint;
        private java.time.Duration brokerWait = io.ved.runtime.BrokerCheck.DEFAULT_WAIT;

        public Builder topologyFile(Path file) {
            return topology(TopologyFileReader.read(Objects.requireNonNull(file, "topology file")));
        }

        /** A topology file on the classpath, e.g. {@code ved/topology/example.yaml}. */
        public Builder topologyResource(String resource) {
            return topology(TopologyFileReader.readResource(Objects.requireNonNull(resource, "topology resource")));
        }

        /** A topology file already read (see {@link TopologyFileReader}). */
        public Builder topology(TopologyFile topology) {
            this.topology = Objects.requireNonNull(topology, "topology");
            return this;
        }

        public Builder domain(DomainDefinition<?> definition) {
            domains.add(Objects.requireNonNull(definition, "domain definition"));
            return this;
        }

        public Builder domains(List<? extends DomainDefinition<?>> definitions) {
            definitions.forEach(this::domain);
            return this;
        }

        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrap servers");
            return this;
        }

        /** The base URL of a Confluent-compatible registry API (for Apicurio: {@code .../apis/ccompat/v7}). */
        public Builder schemaRegistry(String url) {
            this.schemaRegistryUrl = Objects.requireNonNull(url, "schema registry url");
            return this;
        }

        /** Where the domains' local state lives; it is rebuilt from the changelog topics when missing. */
        public Builder stateDir(Path dir) {
            this.stateDir = Objects.requireNonNull(dir, "state dir");
            return this;
        }

        /** Any Kafka Streams setting, overriding Ved's defaults (e.g. {@code num.stream.threads}). */
        public Builder streamsConfig(String key, Object value) {
            streamsConfig.put(key, value);
            return this;
        }

        /** How long {@link Ved#start()} waits for a broker to answer before it fails (default 30 s). */
        public Builder brokerWait(java.time.Duration wait) {
            this.brokerWait = Objects.requireNonNull(wait, "broker wait");
            return this;
        }

        /**
         * Opens an HTTP endpoint on this host and port (0: any free port) that answers {@code GET /state/{type}/{id}}
         * with the live state of a domain instance, forwarding to the instance of the application that hosts it;
         * {@code ved state} uses it. It has no authentication: bind it to loopback ({@code 127.0.0.1}) unless the
         * network is trusted.
         */
        public Builder stateEndpoint(String host, int port) {
            this.queryEndpoint = new VedRuntime.QueryEndpoint(host, port);
            return this;
        }

        public Ved build() {
            if (topology == null) {
                throw new TopologyFileException("no topology file: call topologyFile(path) or topologyResource(name)");
            }
            io.ved.runtime.StreamsSettings.checkGuarantee(streamsConfig);
            VedRuntime runtime = VedRuntime.create(new VedRuntime.Settings(topology, domains,
                    bootstrapServers, schemaRegistryUrl, stateDir, streamsConfig, brokerWait));
            return new Ved(queryEndpoint == null ? runtime : runtime.withStateEndpoint(queryEndpoint));
        }
    }
}
