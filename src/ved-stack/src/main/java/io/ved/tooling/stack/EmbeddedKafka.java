package io.ved.tooling.stack;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real single-node Kafka 4.4 cluster (one KRaft node that is both broker and controller) running
 * inside the current JVM, for integration tests and for {@code ved demo}.
 *
 * <p>It runs {@link KafkaRaftServer}, the very server that {@code kafka.Kafka} (the broker's
 * {@code main}) starts, on a log directory formatted by Kafka's own storage tool. So the node behaves
 * like {@link LocalKafka}'s broker process, transactions and all, just without a second JVM.
 *
 * <p>Why not Kafka's test kit ({@code org.apache.kafka.common.test.KafkaClusterTestKit})? It was tried
 * first and rejected for three reasons found by running it against 4.4.0:
 * <ul>
 *   <li>its {@code build()} always creates TLS material through classes that live only in the
 *       {@code kafka-clients} <em>test</em> jar, which is not published for 4.4.0 on the registry we
 *       can reach (only up to 4.3.1), and that jar needs Bouncy Castle and JUnit on the classpath;</li>
 *   <li>{@code restartBroker} hangs on a combined broker+controller node (the new broker instance
 *       builds a second Raft client and waits forever for the controller to see it caught up), so the
 *       fault tests' "restart the broker" could not be had without a separate controller node;</li>
 *   <li>it binds pre-allocated sockets on the wildcard address whatever the listener host says, and
 *       picks new random ports that clients cannot be pointed at before it starts.</li>
 * </ul>
 *
 * <p>Ports are chosen once, up front, and kept across {@link #stopBroker()}/{@link #startBroker()} so
 * that clients built before a restart reconnect to the same address, as they would to a real broker
 * that came back.
 *
 * <p>Being in-process has one sharp edge: like {@code kafka.Kafka}, the server treats a fatal metadata
 * fault as a reason to halt the JVM ({@code Exit.halt}), and here that JVM is the test's or the CLI's.
 * Such faults mean a corrupted log directory, not a failed test; use {@link LocalKafka} when a test
 * deliberately damages broker state.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** Node id of the only node; fixed so that a restarted node is recognised as the same one. */
    public static final int NODE_ID = 1;

    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String HOST = "127.0.0.1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path logDir;
    private final boolean deleteOnClose;
    private final int brokerPort;
    private final int controllerPort;
    private final Map<String, String> config;
    private final Map<String, Object> readyClient;

    private KafkaRaftServer server;
    private boolean closed;

    private EmbeddedKafka(Builder builder) throws IOException {
        this.deleteOnClose = builder.logDir == null || builder.deleteOnClose;
        this.logDir = builder.logDir != null
                ? Files.createDirectories(builder.logDir).toAbsolutePath()
                : Files.createTempDirectory("ved-kafka-").toAbsolutePath();
        this.brokerPort = builder.brokerPort > 0 ? builder.brokerPort : freePort();
        this.controllerPort = builder.controllerPort > 0 ? builder.controllerPort : freePort();
        this.config = serverConfig(logDir, brokerPort, controllerPort, builder.overrides);
        this.readyClient = Map.copyOf(builder.readyClient);
    }

    /** Starts a node on a fresh temporary directory that is deleted again by {@link #close()}. */
    public static EmbeddedKafka start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The address clients use; stable across {@link #restartBroker()}. */
    public String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    /** Where the node keeps its metadata and topic data; it survives {@link #stopBroker()}. */
    public Path logDir() {
        return logDir;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /**
     * Starts the node, formatting its directory first if it has never been formatted, and returns
     * once a client can see the broker. Starting a running node does nothing, so that tests can call
     * it unconditionally after a fault.
     */
    public synchronized EmbeddedKafka startBroker() {
        if (closed) {
            throw new IllegalStateException("EmbeddedKafka is closed");
        }
        if (server != null) {
            return this;
        }
        formatIfNeeded();
        KafkaRaftServer candidate = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
        try {
            candidate.startup();
        } catch (RuntimeException e) {
            shutdownQuietly(candidate);
            throw new IllegalStateException("Embedded Kafka failed to start in " + logDir, e);
        }
        server = candidate;
        awaitReady();
        return this;
    }

    /**
     * Shuts the node down the way SIGTERM would (controlled shutdown, logs flushed) but keeps its
     * data and ports, so that {@link #startBroker()} brings the same cluster back. Use it to simulate a
     * broker outage; for a crash without a clean shutdown use {@link LocalKafka#kill()}.
     */
    public synchronized void stopBroker() {
        if (server != null) {
            KafkaRaftServer stopping = server;
            server = null;
            shutdownQuietly(stopping);
        }
    }

    /** Stops and starts the node again on the same data and ports. */
    public synchronized void restartBroker() {
        stopBroker();
        startBroker();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stopBroker();
        closed = true;
        if (deleteOnClose) {
            deleteRecursively(logDir);
        }
    }

    private void formatIfNeeded() {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        Path properties = null;
        try {
            properties = Files.createTempFile("ved-kafka-format-", ".properties");
            Properties props = new Properties();
            props.putAll(config);
            try (var out = Files.newBufferedWriter(properties)) {
                props.store(out, "written by EmbeddedKafka for the storage tool");
            }
            // The storage tool rather than Formatter: it is the documented entry point and applies
            // the same defaults (release version, standalone voter set) as kafka-storage.sh.
            var output = new ByteArrayOutputStream();
            int rc = StorageTool.execute(new String[] {
                "format", "--config", properties.toString(),
                "--cluster-id", Uuid.randomUuid().toString(), "--standalone"
            }, new PrintStream(output, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IllegalStateException("Formatting " + logDir + " failed (exit " + rc + "): "
                        + output.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                if (properties != null) {
                    Files.deleteIfExists(properties);
                }
            } catch (IOException ignored) {
                // only a leftover file in the temp area
            }
        }
    }

    private void awaitReady() {
        Map<String, Object> adminConfig = new java.util.HashMap<>(readyClient);
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(adminConfig)) {
            while (System.nanoTime() < deadline) {
                try {
                    Collection<Node> nodes = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
                    if (nodes.stream().anyMatch(n -> n.id() == NODE_ID)) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the embedded broker", e);
        }
        throw new IllegalStateException("Embedded broker at " + bootstrapServers()
                + " not ready within " + READY_TIMEOUT.toSeconds() + " s", last);
    }

    /**
     * The settings a single node needs to do what a three-broker cluster would: internal topics
     * (offsets, transaction state, share state) with replication factor 1, otherwise transactions
     * and consumer groups never become available. Internal topics get few partitions and the first
     * rebalance is not delayed, which matters on a two-core machine and makes tests fast.
     */
    static Map<String, String> serverConfig(Path logDir, int brokerPort, int controllerPort,
                                            Map<String, String> overrides) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("process.roles", "broker,controller");
        c.put("node.id", Integer.toString(NODE_ID));
        c.put("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort);
        c.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        c.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        c.put("controller.listener.names", CONTROLLER_LISTENER);
        c.put("inter.broker.listener.name", BROKER_LISTENER);
        c.put("listener.security.protocol.map",
                BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        c.put("log.dirs", logDir.toString());
        c.put("num.partitions", "1");
        c.put("default.replication.factor", "1");
        c.put("offsets.topic.replication.factor", "1");
        c.put("offsets.topic.num.partitions", "5");
        c.put("transaction.state.log.replication.factor", "1");
        c.put("transaction.state.log.min.isr", "1");
        c.put("transaction.state.log.num.partitions", "5");
        c.put("share.coordinator.state.topic.replication.factor", "1");
        c.put("share.coordinator.state.topic.min.isr", "1");
        c.put("group.initial.rebalance.delay.ms", "0");
        // After a kill -9 the restarted node finds its previous incarnation still registered and
        // must wait for that session to expire before it may register again (9 s by default).
        // Heartbeats go over loopback to the node itself, so a short session is safe and makes
        // crash-restart fault tests take seconds rather than tens of seconds.
        c.put("broker.heartbeat.interval.ms", "500");
        c.put("broker.session.timeout.ms", "3000");
        c.put("log.cleaner.dedupe.buffer.size", "2097152");
        c.putAll(overrides);
        return Map.copyOf(c);
    }

    /** A loopback port that was free a moment ago (another process may take it before it is bound). */
    public static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + HOST, e);
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + root, e);
        }
    }

    private static void shutdownQuietly(KafkaRaftServer s) {
        try {
            s.shutdown();
            s.awaitShutdown();
        } catch (RuntimeException ignored) {
            // shutting down a half-started server may fail; there is nothing left to release
        }
    }

    /** Options for a node; everything has a default so {@code builder().start()} just works. */
    public static final class Builder {
        private Path logDir;
        private boolean deleteOnClose;
        private int brokerPort;
        private int controllerPort;
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private final Map<String, Object> readyClient = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Keeps the node's data in {@code dir} (created if missing, reused if already formatted) and
         * leaves it there on close, so a later {@code EmbeddedKafka} can start on the same data.
         */
        public Builder logDir(Path dir) {
            this.logDir = Objects.requireNonNull(dir);
            return this;
        }

        /** Deletes an explicit {@link #logDir(Path)} on close too; temporary dirs always are. */
        public Builder deleteOnClose(boolean delete) {
            this.deleteOnClose = delete;
            return this;
        }

        /** Fixes the client port (0, the default, picks a free one). */
        public Builder brokerPort(int port) {
            this.brokerPort = port;
            return this;
        }

        /** Fixes the KRaft controller port (0, the default, picks a free one). */
        public Builder controllerPort(int port) {
            this.controllerPort = port;
            return this;
        }

        /** Overrides or adds one broker setting, e.g. {@code log.retention.ms}. */
        public Builder config(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        /**
         * A client setting for the admin client that waits until the broker is ready: the credentials of a super
         * user when the broker's client listener is secured (e.g. {@code security.protocol=SASL_PLAINTEXT}).
         */
        public Builder readyClientConfig(String key, Object value) {
            readyClient.put(key, value);
            return this;
        }

        /** Builds and starts the node; blocks until a client can reach the broker. */
        public EmbeddedKafka start() {
            EmbeddedKafka kafka;
            try {
                kafka = new EmbeddedKafka(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                return kafka.startBroker();
            } catch (RuntimeException e) {
                kafka.close();
                throw e;
            }
        }
    }
}
