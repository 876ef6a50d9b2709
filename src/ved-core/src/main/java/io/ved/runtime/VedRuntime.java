package io.ved.runtime;

import io.ved.api.DomainDefinition;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.registry.HttpSchemaRegistry;
import io.ved.envelope.registry.SchemaRegistry;
import io.ved.runtime.handler.HandlerIsolation;
import io.ved.runtime.topology.TopologyFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a Ved application on Kafka Streams: checks the wiring, registers the schemas, starts the topology. */
public final class VedRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VedRuntime.class);

    private final DomainCatalog catalog;
    private final MessageCodec codec;
    private final Settings settings;
    private KafkaStreams streams;
    private QueryEndpoint queryEndpoint;
    private StateEndpoint endpoint;
    /** Shared by every Kafka Streams instance this runtime runs, so that what was learnt survives a replacement. */
    private HandlerIsolation isolation = new HandlerIsolation();
    private AbandonedTopic abandoned;
    private StuckInstanceReplacer replacer;
    private boolean closed;
    /** Set while a stuck instance is being replaced: the application is still running, not stopped. */
    private boolean replacing;
    /** Set when a replacement failed: nothing processes any more, and {@link #isRunning()} says so. */
    private boolean failed;
    /** Held through a whole replacement, so that {@link #close()} waits for one under way and closes its result. */
    private final Object replacement = new Object();
    private io.opentelemetry.api.OpenTelemetry openTelemetry;

    /** What {@link io.ved.api.Ved.Builder} collected. */
    public record Settings(TopologyFile topology, List<DomainDefinition<?>> domains,
                           String bootstrapServers, String schemaRegistryUrl, Path stateDir,
                           Map<String, Object> streamsConfig, Duration brokerWait) {
    }

    private VedRuntime(DomainCatalog catalog, MessageCodec codec, Settings settings) {
        this.catalog = catalog;
        this.codec = codec;
        this.settings = settings;
    }

    /** Collects the settings; see {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    public static VedRuntime create(Settings settings) {
        return create(settings, HttpSchemaRegistry.configured(settings.schemaRegistryUrl(), settings.streamsConfig()));
    }

    public static VedRuntime create(Settings settings, SchemaRegistry registry) {
        DomainCatalog catalog = new DomainCatalog(settings.topology(), settings.domains());
        return new VedRuntime(catalog, new MessageCodec(registry), settings);
    }

    public DomainCatalog catalog() {
        return catalog;
    }

    /** The topology as it runs; once started, it checks records against the inboxes' partition counts found then. */
    public Topology topology() {
        if (openTelemetry == null) {
            // once per runtime: the SDK registers itself globally, which a second initialisation would refuse
            openTelemetry = io.ved.runtime.telemetry.Telemetry.fromEnvironment();
        }
        return VedTopology.build(catalog, codec, VedTopology.StoreKind.PERSISTENT, openTelemetry, inboxPartitions, isolation);
    }

    /**
     * The topology built with the settings it will run with: Kafka Streams reads its topology-level settings (e.g.
     * {@code enable.transactional.statestores}) from the topology's own config, not from the client's, so a topology
     * built without them would silently run without them.
     */
    private Topology topology(java.util.Properties streamsProps) {
        topology(); // the telemetry, once
        return VedTopology.build(catalog, codec, VedTopology.StoreKind.PERSISTENT, openTelemetry, inboxPartitions, isolation,
                new org.apache.kafka.streams.TopologyConfig(new org.apache.kafka.streams.StreamsConfig(streamsProps)));
    }

    private Map<String, Integer> inboxPartitions = Map.of();

    public synchronized void start() {
        if (streams != null) {
            throw new IllegalStateException("this Ved application was already started");
        }
        // the address and the security settings, for every client Ved itself opens besides Kafka Streams'
        Map<String, Object> clients = InternalTopics.clientConfig(settings.bootstrapServers(), settings.streamsConfig());
        BrokerCheck.require(settings.bootstrapServers(), clients, settings.brokerWait());
        AclCheck.require(catalog.topologyFile(), catalog.localDomains(), settings.bootstrapServers(), clients, settings.brokerWait());
        catalog.localDomains().stream()
                .filter(d -> !d.replies().isEmpty() && !catalog.topicOf(d.type()).policy().trustsSenders())
                .forEach(d -> LOG.warn("{} replies, but its inbox {} is 'writers: any': a sender a message names is not believed "
                        + "there, so every reply goes to the reply topic {}; if only Ved applications write that inbox (make it so "
                        + "with 'ved acls'), set 'writers: ved' for {} in the topology file", d.type(), catalog.topicOf(d.type()).topic(),
                        catalog.topologyFile().replyTopic(), d.type()));
        inboxPartitions = BrokerCheck.partitionCounts(settings.bootstrapServers(), clients, settings.brokerWait(),
                catalog.localDomains().stream().map(d -> catalog.topicOf(d.type()).topic()).toList());
        InboxPartitionCheck.require(catalog.localDomains().stream().map(d -> catalog.topicOf(d.type())).toList(), inboxPartitions);
        // Before anything is registered or handled: a schema that cannot join what the registry holds stops start-up.
        UpgradeCheck.require(catalog, codec.registry());
        // The levels first, so that the registration right after is already checked against them.
        catalog.compatibilityBySubject().forEach((subject, level) -> codec.registry().setCompatibility(subject, level.name()));
        // Registering up front makes an unreachable registry or a refused schema stop start-up, naming the schema.
        catalog.recordClasses().forEach(codec::schemaIdOf);
        Map<String, Object> config = new java.util.LinkedHashMap<>(settings.streamsConfig());
        if (queryEndpoint != null) {
            // Bound first, so that its port is known: it is this instance's application.server for the others.
            endpoint = StateEndpoint.bind(queryEndpoint.host(), queryEndpoint.port(), catalog, codec);
            config.put(org.apache.kafka.streams.StreamsConfig.APPLICATION_SERVER_CONFIG, endpoint.hostAndPort());
        }
        InternalTopics.ensure(catalog.topologyFile(), clients, settings.brokerWait());
        abandoned = AbandonedTopic.open(catalog.topologyFile(), clients, settings.brokerWait());
        try {
            replacer = new StuckInstanceReplacer(catalog.topologyFile().application(), settings.stateDir(), this::newStreams);
            isolation = new HandlerIsolation(abandoned, this::replaceStuck);
            this.config = config;
            streams = newStreams(settings.stateDir(), 0);
            replacer.removeEarlierReplacements(); // only now: this instance holds the state directory's lock
            streams.start();
        } catch (RuntimeException e) {
            abandoned.close();
            throw e;
        }
        if (endpoint != null) {
            endpoint.serve(streams);
            probes = health();
            io.ved.runtime.ops.Metrics.register(catalog.topologyFile().application(), probes, restores);
            endpoint.serveOps(probes, new io.ved.runtime.ops.MailboxLag(catalog.topologyFile().application(),
                    domainByInbox(), this::currentStreams));
        }
        LOG.info("Ved application {} started: domains {}{}", catalog.topologyFile().application(),
                catalog.localDomains().stream().map(d -> d.type().name()).toList(),
                endpoint == null ? "" : "; state endpoint on http://" + endpoint.hostAndPort());
    }

    private Map<String, Object> config;
    private final io.ved.runtime.ops.RestoreProgress restores = new io.ved.runtime.ops.RestoreProgress();
    /** Held here: the ready gauge refers to it weakly. */
    private io.ved.runtime.ops.Health probes;
    private io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics streamsMetrics;

    private synchronized KafkaStreams currentStreams() {
        return streams;
    }

    private Map<String, String> domainByInbox() {
        Map<String, String> inboxes = new java.util.HashMap<>();
        catalog.localDomains().forEach(d -> inboxes.put(catalog.topicOf(d.type()).topic(), d.type().name()));
        return inboxes;
    }

    /** The probes of this instance; the registry is asked once, with short timeouts, so a probe never hangs. */
    private io.ved.runtime.ops.Health health() {
        java.util.function.Supplier<java.util.Optional<String>> probe = java.util.Optional::empty;
        if (codec.registry() instanceof HttpSchemaRegistry http) {
            HttpSchemaRegistry quick = http.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), 1);
            probe = quick::probe;
        }
        return new io.ved.runtime.ops.Health(new io.ved.runtime.ops.Health.Instance() {
            @Override
            public KafkaStreams.State state() {
                KafkaStreams running = currentStreams();
                return running == null ? null : running.state();
            }

            @Override
            public boolean closing() {
                synchronized (VedRuntime.this) {
                    return closed;
                }
            }

            @Override
            public java.util.Optional<String> failure() {
                synchronized (VedRuntime.this) {
                    return failed ? java.util.Optional.of("replacing the instance after a stuck handler failed: restart it")
                            : java.util.Optional.empty();
                }
            }
        }, restores, probe);
    }

    /** Kafka Streams' metrics on {@code /metrics}, for the client that runs now (the previous one's go with it). */
    private synchronized void bindMetrics(KafkaStreams created) {
        if (endpoint == null) {
            return;
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        streamsMetrics = io.ved.runtime.ops.Metrics.bind(created);
    }

    /**
     * @param generation 0 for the first instance, n for the n-th replacement: a client.id set by the user gets a
     *                   suffix then, so the new instance's thread names never match the given-up one's
     */
    private KafkaStreams newStreams(Path stateDir, int generation) {
        Map<String, Object> withClientId = new java.util.LinkedHashMap<>(config);
        Object clientId = withClientId.get(org.apache.kafka.streams.StreamsConfig.CLIENT_ID_CONFIG);
        if (generation > 0 && clientId != null) {
            withClientId.put(org.apache.kafka.streams.StreamsConfig.CLIENT_ID_CONFIG, clientId + "-replaced-" + generation);
        }
        java.util.Properties props = StreamsSettings.of(catalog.topologyFile(), settings.bootstrapServers(), stateDir, withClientId);
        KafkaStreams created = new KafkaStreams(topology(props), props);
        created.setUncaughtExceptionHandler(new StreamFailurePolicy(catalog.topologyFile().application()));
        created.setGlobalStateRestoreListener(restores);
        bindMetrics(created);
        return created;
    }

    /**
     * A stream thread of the running instance is stuck in a handler for good (its message already recorded as
     * abandoned): replace the instance, since no other thread of it could ever open the stuck thread's tasks. Runs on
     * the abandoned-message reporter's thread. If the replacement fails, the application is reported as not running,
     * so that {@code ved run} (or the process supervisor) stops and a restart takes over.
     */
    private void replaceStuck(Thread thread, io.ved.envelope.Envelope message) {
        synchronized (replacement) {
            KafkaStreams current;
            synchronized (this) {
                if (closed || failed || streams == null || !StuckInstanceReplacer.runs(streams, thread)) {
                    return; // stopping, or that thread's instance was replaced already
                }
                current = streams;
                replacing = true;
            }
            try {
                KafkaStreams next = replacer.replace(current, thread, message);
                synchronized (this) {
                    streams = next;
                    if (endpoint != null) {
                        endpoint.serve(streams);
                    }
                }
            } catch (RuntimeException e) {
                synchronized (this) {
                    failed = true;
                }
                LOG.error("Replacing the Kafka Streams instance of {} failed: it processes nothing any more; restart it "
                        + "(the stuck message stays abandoned and is dead-lettered then)", catalog.topologyFile().application(), e);
            } finally {
                synchronized (this) {
                    replacing = false;
                }
            }
        }
    }

    /**
     * The stream threads of this instance that are running or being assigned partitions; the configured
     * {@code num.stream.threads} while all is well. A thread stuck in a handler counts until Ved gives it up (at
     * twice the handler's limit) and replaces the instance; 0 during the replacement.
     */
    public synchronized int workingStreamThreads() {
        if (streams == null || replacing || failed) {
            return 0;
        }
        return (int) streams.metadataForLocalThreads().stream()
                .filter(t -> t.threadState().equals("RUNNING") || t.threadState().equals("PARTITIONS_ASSIGNED")
                        || t.threadState().equals("PARTITIONS_REVOKED") || t.threadState().equals("STARTING"))
                .count();
    }

    /** The host and port to bind the state endpoint to (port 0: any free port). */
    public record QueryEndpoint(String host, int port) {
        public QueryEndpoint {
            java.util.Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("the state endpoint port must be 0 (any free port) to 65535, not " + port);
            }
        }
    }

    /** Opens a {@link StateEndpoint} there when the application starts; call before {@link #start()}. */
    public synchronized VedRuntime withStateEndpoint(QueryEndpoint where) {
        if (streams != null) {
            throw new IllegalStateException("the state endpoint must be set before the application starts");
        }
        this.queryEndpoint = where;
        return this;
    }

    /** The address of the state endpoint, once started with one. */
    public synchronized java.util.Optional<java.net.InetSocketAddress> stateEndpoint() {
        return java.util.Optional.ofNullable(endpoint).map(StateEndpoint::address);
    }

    /** Running or rebalancing, or replacing an instance one of whose threads is stuck in a handler; not after a failure. */
    public synchronized boolean isRunning() {
        return !failed && streams != null && (replacing || streams.state().isRunningOrRebalancing());
    }

    /** Waits until every task is assigned and restored and processing runs; false on timeout or failure. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State state = state();
            if (state == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING
                    || state == KafkaStreams.State.PENDING_ERROR) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** The Kafka Streams state, for tooling that waits until the application is RUNNING. */
    public synchronized KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.CREATED : streams.state();
    }

    /** Stops processing and waits for a replacement under way; safe to call twice. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (endpoint != null) {
            endpoint.close();
        }
        synchronized (this) {
            if (streamsMetrics != null) {
                streamsMetrics.close();
            }
        }
        synchronized (replacement) {
            // a replacement under way has finished: streams is its result
            KafkaStreams running;
            synchronized (this) {
                running = streams;
            }
            if (running != null) {
                // Leaving the group on a clean stop lets the partitions move at once, instead of after the session
                // timeout (10 s) during which nobody would handle them.
                running.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(Duration.ofSeconds(30)));
            }
        }
        if (abandoned != null) {
            abandoned.close();
        }
    }

    /**
     * Collects what a Ved application needs; only the topology and one domain are required. {@link io.ved.api.Ved.Builder}
     * is this for users; tools and tests that hold a {@link TopologyFile} already read use it directly. Not thread-safe.
     */
    public static final class Builder {
        private io.ved.runtime.topology.TopologyFile topology;
        private final List<io.ved.api.DomainDefinition<?>> domains = new java.util.ArrayList<>();
        private String bootstrapServers = "127.0.0.1:9092";
        private String schemaRegistryUrl = "http://127.0.0.1:8081/apis/ccompat/v7";
        private Path stateDir = Path.of(System.getProperty("java.io.tmpdir"), "ved-state");
        private final Map<String, Object> streamsConfig = new java.util.LinkedHashMap<>();
        private QueryEndpoint queryEndpoint;
        private java.time.Duration brokerWait = BrokerCheck.DEFAULT_WAIT;

        public Builder topologyFile(Path file) {
            return topology(io.ved.runtime.topology.TopologyFileReader.read(java.util.Objects.requireNonNull(file, "topology file")));
        }

        /** A topology file on the classpath, e.g. {@code ved/topology/example.yaml}. */
        public Builder topologyResource(String resource) {
            return topology(io.ved.runtime.topology.TopologyFileReader.readResource(java.util.Objects.requireNonNull(resource, "topology resource")));
        }

        /** A topology file already read (see {@link io.ved.runtime.topology.TopologyFileReader}). */
        public Builder topology(io.ved.runtime.topology.TopologyFile topology) {
            this.topology = java.util.Objects.requireNonNull(topology, "topology");
            return this;
        }

        public Builder domain(io.ved.api.DomainDefinition<?> definition) {
            domains.add(java.util.Objects.requireNonNull(definition, "domain definition"));
            return this;
        }

        public Builder domains(List<? extends io.ved.api.DomainDefinition<?>> definitions) {
            definitions.forEach(this::domain);
            return this;
        }

        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = java.util.Objects.requireNonNull(bootstrapServers, "bootstrap servers");
            return this;
        }

        /** The base URL of a Confluent-compatible registry API (for Apicurio: {@code .../apis/ccompat/v7}). */
        public Builder schemaRegistry(String url) {
            this.schemaRegistryUrl = java.util.Objects.requireNonNull(url, "schema registry url");
            return this;
        }

        /** Where the domains' local state lives; it is rebuilt from the changelog topics when missing. */
        public Builder stateDir(Path dir) {
            this.stateDir = java.util.Objects.requireNonNull(dir, "state dir");
            return this;
        }

        /** Any Kafka Streams setting, overriding Ved's defaults (e.g. {@code num.stream.threads}). */
        public Builder streamsConfig(String key, Object value) {
            streamsConfig.put(key, value);
            return this;
        }

        /** Static membership; see {@link io.ved.api.Ved.Builder#instanceId(String)}. */
        public Builder instanceId(String id) {
            if (id == null || id.isBlank() || id.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("instance id '" + id + "' must be a non-blank name without spaces, "
                        + "unique among the running instances of the application, e.g. orders-1");
            }
            streamsConfig.put(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id);
            return this;
        }

        /** Warm copies of each task's state; see {@link io.ved.api.Ved.Builder#standbyReplicas(int)}. */
        public Builder standbyReplicas(int replicas) {
            if (replicas < 0) {
                throw new IllegalArgumentException("standby replicas " + replicas + " must be 0 or more (1 keeps one warm copy)");
            }
            streamsConfig.put(org.apache.kafka.streams.StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, replicas);
            return this;
        }

        /** Broker-driven task assignment; see {@link io.ved.api.Ved.Builder#streamsRebalanceProtocol()}. */
        public Builder streamsRebalanceProtocol() {
            streamsConfig.put(org.apache.kafka.streams.StreamsConfig.GROUP_PROTOCOL_CONFIG, "streams");
            return this;
        }

        /** Stores that keep their state across a crash; see {@link io.ved.api.Ved.Builder#transactionalStateStores()}. */
        public Builder transactionalStateStores() {
            streamsConfig.put(org.apache.kafka.streams.StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
            return this;
        }

        /** How long {@link VedRuntime#start()} waits for a broker to answer before it fails (default 30 s). */
        public Builder brokerWait(java.time.Duration wait) {
            this.brokerWait = java.util.Objects.requireNonNull(wait, "broker wait");
            return this;
        }

        /**
         * Opens an HTTP endpoint on this host and port (0: any free port) that answers {@code GET /state/{type}/{id}}
         * with the live state of a domain instance, forwarding to the instance of the application that hosts it;
         * {@code ved state} uses it. It has no authentication: bind it to loopback ({@code 127.0.0.1}) unless the
         * network is trusted.
         */
        public Builder stateEndpoint(String host, int port) {
            this.queryEndpoint = new QueryEndpoint(host, port);
            return this;
        }

        /**
         * @throws io.ved.runtime.topology.TopologyFileException when no topology was given, a domain does not match it, or a setting would
         *                               weaken the guarantee
         */
        public VedRuntime build() {
            if (topology == null) {
                throw new io.ved.runtime.topology.TopologyFileException("no topology file: call topologyFile(path) or topologyResource(name)");
            }
            StreamsSettings.checkGuarantee(streamsConfig);
            StreamsSettings.checkGroupProtocol(streamsConfig);
            VedRuntime runtime = VedRuntime.create(new Settings(topology, domains,
                    bootstrapServers, schemaRegistryUrl, stateDir, streamsConfig, brokerWait));
            return queryEndpoint == null ? runtime : runtime.withStateEndpoint(queryEndpoint);
        }
    }

}
