package io.ved.tooling.stack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real Kafka 4.4 broker (one KRaft node, broker and controller combined) in its own JVM process,
 * started from jars on a classpath rather than from a downloaded distribution.
 *
 * <p>A separate process is what {@code ved}'s quick start needs (the broker outlives nothing but the
 * CLI's own run, and its log is a file a user can read) and what the fault tests need: {@link #kill()}
 * is a real {@code kill -9}, with no shutdown hook, no flush and no controlled shutdown, which an
 * in-process broker ({@link EmbeddedKafka}) cannot imitate.
 *
 * <p>The layout under the work directory is {@code server.properties} (rewritten on every start),
 * {@code data/} (the formatted KRaft log directory, kept across restarts) and {@code logs/server.log}
 * (the broker's stdout and stderr, appended to across restarts so a crash and its recovery read as
 * one story). Ports are remembered in {@code ports.properties} so that a later handle on the same
 * directory (the next {@code ved} run, or a test that reopens it) serves the same bootstrap address,
 * and so that the controller endpoint recorded in the metadata log by {@code format --standalone}
 * stays the one the node really listens on.
 */
public final class LocalKafka implements AutoCloseable {

    public static final int NODE_ID = 1;

    private static final String HOST = "127.0.0.1";
    private static final String MAIN_CLASS = "kafka.Kafka";
    private static final String STORAGE_TOOL_CLASS = "kafka.tools.StorageTool";
    private static final int LOG_TAIL_LINES = 60;

    private final Path workDir;
    private final Path dataDir;
    private final Path logFile;
    private final String classpath;
    private final Path javaBinary;
    private final List<String> jvmOptions;
    private final Duration readyTimeout;
    private final Duration stopTimeout;
    private final Map<String, String> overrides;
    private final int brokerPort;
    private final int controllerPort;
    private final int nodeId;
    private final String clusterId;
    private final String initialControllers;
    private final List<Listener> extraListeners;

    private Process process;
    private Thread orphanGuard;

    private LocalKafka(Builder b) {
        try {
            this.workDir = Files.createDirectories(b.workDir).toAbsolutePath();
            this.dataDir = Files.createDirectories(workDir.resolve("data"));
            this.logFile = Files.createDirectories(workDir.resolve("logs")).resolve("server.log");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + b.workDir, e);
        }
        this.classpath = b.classpath != null ? b.classpath : System.getProperty("java.class.path");
        this.javaBinary = b.javaBinary != null ? b.javaBinary
                : Path.of(System.getProperty("java.home"), "bin", "java");
        this.jvmOptions = List.copyOf(b.jvmOptions);
        this.readyTimeout = b.readyTimeout;
        this.stopTimeout = b.stopTimeout;
        this.overrides = Map.copyOf(b.overrides);
        int[] ports = resolvePorts(b.brokerPort, b.controllerPort);
        this.brokerPort = ports[0];
        this.controllerPort = ports[1];
        this.nodeId = b.nodeId;
        this.clusterId = b.clusterId;
        this.initialControllers = b.initialControllers;
        this.extraListeners = List.copyOf(b.extraListeners);
    }

    /**
     * A further plaintext listener of the broker: it listens on {@code port} and tells clients that connected
     * through it to reach every broker at its {@code advertisedPort} on loopback, e.g. a fault-injecting proxy's.
     */
    public record Listener(String name, int port, int advertisedPort) {
        public Listener {
            if (!name.matches("[A-Z][A-Z0-9_]*") || name.equals("PLAINTEXT") || name.equals("CONTROLLER")) {
                throw new IllegalArgumentException("listener name " + name + " must be upper case letters, digits and _,"
                        + " and neither PLAINTEXT nor CONTROLLER");
            }
        }
    }

    /** A broker whose files live under {@code workDir}; nothing runs until {@link Builder#start()}. */
    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    public String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    public int brokerPort() {
        return brokerPort;
    }

    public int controllerPort() {
        return controllerPort;
    }

    /** This node's KRaft node id (1 for a single node). */
    public int nodeId() {
        return nodeId;
    }

    public Path workDir() {
        return workDir;
    }

    /** The broker's combined stdout/stderr; this is where to look when something went wrong. */
    public Path logFile() {
        return logFile;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("not started");
        }
        return process.pid();
    }

    /**
     * Starts the broker process (formatting the data directory on first use) and returns once a
     * client sees the broker, or throws with the tail of the broker log. Calling it while the broker
     * runs does nothing; calling it after {@link #stop()} or {@link #kill()} brings the same cluster
     * back on the same data and ports.
     */
    public synchronized LocalKafka start() {
        if (isRunning()) {
            return this;
        }
        launch();
        try {
            awaitReady();
        } catch (RuntimeException e) {
            kill();
            throw e;
        }
        return this;
    }

    /**
     * Starts the node's process (formatting its data directory on first use) without waiting for it: a node of a
     * cluster cannot be ready before a majority of the controller quorum runs, so a cluster launches every node
     * first and then waits with {@link #awaitReady()}.
     */
    public synchronized void launch() {
        if (isRunning()) {
            return;
        }
        Path serverProperties = writeServerProperties();
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            format(serverProperties);
        }
        List<String> command = new ArrayList<>();
        command.add(javaBinary.toString());
        command.addAll(jvmOptions);
        command.add("-Dkafka.logs.dir=" + logFile.getParent());
        command.add("-cp");
        command.add(classpath);
        command.add(MAIN_CLASS);
        command.add(serverProperties.toString());
        try {
            appendToLog("---- starting broker: " + MAIN_CLASS + " " + serverProperties);
            process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot launch " + javaBinary, e);
        }
        guardAgainstOrphan();
    }

    /**
     * Graceful stop, as an operator's SIGTERM: Kafka's shutdown hook does a controlled shutdown and
     * closes its logs cleanly. Only if that takes longer than the stop timeout is the process killed.
     */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        Process p = process;
        p.destroy();
        try {
            if (!p.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                appendToLog("---- broker did not stop within " + stopTimeout.toSeconds() + " s, killing it");
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        released();
    }

    /**
     * SIGSTOP, held for {@code length}, then SIGCONT: the node freezes with its sockets open, as a hung host; past
     * the broker session timeout the controller fences it and moves its leaderships away, and when it wakes it must
     * catch up and rejoin. Returns at once if it is not running.
     */
    public void pause(Duration length) throws InterruptedException {
        long pid;
        synchronized (this) {
            if (!isRunning()) {
                return;
            }
            pid = process.pid();
        }
        appendToLog("---- SIGSTOP for " + length.toSeconds() + " s");
        ProcessSignals.stop(pid);
        try {
            Thread.sleep(length.toMillis());
        } finally {
            ProcessSignals.resume(pid);
            appendToLog("---- SIGCONT");
        }
    }

    /**
     * {@code kill -9}: the broker gets no chance to flush, finish a controlled shutdown or write its
     * clean-shutdown marker, so the next {@link #start()} goes through log recovery, as after a crash.
     */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        Process p = process;
        p.destroyForcibly();
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        released();
    }

    /**
     * Lets the broker outlive this JVM (for {@code ved up}): no shutdown hook will kill it any more.
     *
     * @return the broker's process id, for whoever stops it later
     */
    public synchronized long detach() {
        long pid = pid();
        released();
        return pid;
    }

    /** Stops the broker gracefully; its files stay in the work directory. */
    @Override
    public void close() {
        stop();
    }

    private void released() {
        process = null;
        if (orphanGuard != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(orphanGuard);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down and the guard is running or has run
            }
            orphanGuard = null;
        }
    }

    /** A broker left running by a JVM that died without close() would hold its ports for good. */
    private void guardAgainstOrphan() {
        Process p = process;
        orphanGuard = new Thread(() -> {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }, "local-kafka-orphan-guard");
        Runtime.getRuntime().addShutdownHook(orphanGuard);
    }

    private void format(Path serverProperties) {
        List<String> command = new ArrayList<>(List.of(javaBinary.toString(), "-cp", classpath, STORAGE_TOOL_CLASS,
                "format", "--config", serverProperties.toString(),
                "--cluster-id", clusterId != null ? clusterId : Uuid.randomUuid().toString()));
        if (initialControllers != null) {
            command.addAll(List.of("--initial-controllers", initialControllers));
        } else {
            command.add("--standalone");
        }
        try {
            appendToLog("---- formatting " + dataDir);
            Process p = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            if (!p.waitFor(readyTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw failure("Formatting " + dataDir + " did not finish within "
                        + readyTimeout.toSeconds() + " s", null);
            }
            if (p.exitValue() != 0) {
                throw failure("Formatting " + dataDir + " failed with exit code " + p.exitValue(), null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot launch " + javaBinary, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while formatting " + dataDir, e);
        }
    }

    /**
     * Waits until a client sees this node among the cluster's brokers.
     *
     * @throws IllegalStateException with the tail of the node's log when it exits or is not ready in time
     */
    public void awaitReady() {
        Map<String, Object> adminConfig = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4_000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(adminConfig)) {
            while (System.nanoTime() < deadline) {
                Process running = process;
                if (running == null || !running.isAlive()) {
                    throw failure("Broker process exited" + (running == null ? "" : " with code " + running.exitValue())
                            + " before it was ready", null);
                }
                try {
                    if (admin.describeCluster().nodes().get(4, TimeUnit.SECONDS).stream()
                            .anyMatch(n -> n.id() == nodeId)) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the broker", e);
        }
        throw failure("Broker at " + bootstrapServers() + " was not ready within "
                + readyTimeout.toSeconds() + " s", last);
    }

    private IllegalStateException failure(String message, Exception cause) {
        return new IllegalStateException(message + "\n---- last lines of " + logFile + ":\n" + logTail(), cause);
    }

    /** The end of the broker log, for error messages; empty logs usually mean no SLF4J binding. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
            return tail.isBlank() ? "(empty: is an SLF4J binding such as slf4j-simple on the classpath?)" : tail;
        } catch (IOException e) {
            return "(cannot read: " + e + ")";
        }
    }

    private void appendToLog(String line) {
        try {
            Files.writeString(logFile, java.time.Instant.now() + " " + line + System.lineSeparator(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // a marker line only; the broker's own output is what matters
        }
    }

    private Path writeServerProperties() {
        Properties props = new Properties();
        Map<String, String> config = new LinkedHashMap<>(EmbeddedKafka.serverConfig(dataDir, brokerPort, controllerPort, Map.of()));
        config.put("node.id", Integer.toString(nodeId));
        for (Listener l : extraListeners) {
            config.merge("listeners", l.name() + "://" + HOST + ":" + l.port(), (a, b) -> a + "," + b);
            config.merge("advertised.listeners", l.name() + "://" + HOST + ":" + l.advertisedPort(), (a, b) -> a + "," + b);
            config.merge("listener.security.protocol.map", l.name() + ":PLAINTEXT", (a, b) -> a + "," + b);
        }
        config.putAll(overrides);
        props.putAll(config);
        Path file = workDir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(out, "generated by ved's LocalKafka; rewritten on every start");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
        return file;
    }

    /** Explicit ports win; otherwise the ones recorded at format time; otherwise free ones. */
    private int[] resolvePorts(int broker, int controller) {
        Path file = workDir.resolve("ports.properties");
        Properties saved = new Properties();
        if (Files.exists(file)) {
            try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                saved.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
        }
        int b = broker > 0 ? broker : Integer.parseInt(saved.getProperty("broker.port", "0"));
        int c = controller > 0 ? controller : Integer.parseInt(saved.getProperty("controller.port", "0"));
        b = b > 0 ? b : EmbeddedKafka.freePort();
        c = c > 0 ? c : EmbeddedKafka.freePort();
        saved.setProperty("broker.port", Integer.toString(b));
        saved.setProperty("controller.port", Integer.toString(c));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            saved.store(out, "ports of the local broker; the controller port must not change once formatted");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
        return new int[] {b, c};
    }

    /** Options for the broker process; only the work directory is required. */
    public static final class Builder {
        private final Path workDir;
        private String classpath;
        private Path javaBinary;
        private final List<String> jvmOptions = new ArrayList<>(List.of(
                "-Xms256m", "-Xmx512m", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true",
                // Only take effect when the classpath's SLF4J binding is slf4j-simple. System
                // properties beat a simplelogger.properties on the classpath, and an app's file
                // (e.g. the CLI's, which silences org.apache.kafka) is the wrong one for a broker
                // log that exists to explain a crash: INFO with timestamps, like Kafka's own.
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=info",
                "-Dorg.slf4j.simpleLogger.log.kafka=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS"));
        private Duration readyTimeout = Duration.ofSeconds(60);
        private Duration stopTimeout = Duration.ofSeconds(30);
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private int brokerPort;
        private int controllerPort;
        private int nodeId = NODE_ID;
        private String clusterId;
        private String initialControllers;
        private final List<Listener> extraListeners = new ArrayList<>();

        private Builder(Path workDir) {
            this.workDir = Objects.requireNonNull(workDir);
        }

        /**
         * The classpath of the broker JVM. Defaults to this JVM's, which works whenever
         * {@code kafka_2.13} (and an SLF4J binding, for a useful log) is a dependency of the app.
         */
        public Builder classpath(String classpath) {
            this.classpath = Objects.requireNonNull(classpath);
            return this;
        }

        /** The java launcher; defaults to the one running this JVM (Kafka 4.4 brokers need 17+). */
        public Builder javaBinary(Path java) {
            this.javaBinary = Objects.requireNonNull(java);
            return this;
        }

        /** Adds a JVM option for the broker, after the defaults (so {@code -Xmx} here wins). */
        public Builder jvmOption(String option) {
            if (option.isBlank()) {
                // an empty argument would be taken by the java launcher as the main class name
                throw new IllegalArgumentException("blank JVM option");
            }
            jvmOptions.add(option);
            return this;
        }

        /** Client port; 0 (the default) reuses the work directory's recorded one or picks a free one. */
        public Builder brokerPort(int port) {
            this.brokerPort = port;
            return this;
        }

        /** Controller port; 0 (the default) reuses the recorded one or picks a free one. */
        public Builder controllerPort(int port) {
            this.controllerPort = port;
            return this;
        }

        /**
         * Makes this node one of a KRaft cluster: its node id, the cluster's id, and the controller quorum it is
         * formatted with ({@code id@host:port:directoryId,...}, Kafka's {@code --initial-controllers}). The quorum's
         * bootstrap servers and the replication settings come through {@link #config}.
         */
        public Builder clusterNode(int nodeId, String clusterId, String initialControllers) {
            this.nodeId = nodeId;
            this.clusterId = Objects.requireNonNull(clusterId);
            this.initialControllers = Objects.requireNonNull(initialControllers);
            return this;
        }

        /** Adds a listener besides the client and controller ones; see {@link Listener}. */
        public Builder listener(Listener listener) {
            extraListeners.add(Objects.requireNonNull(listener));
            return this;
        }

        /** Overrides or adds one broker setting in the generated {@code server.properties}. */
        public Builder config(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** How long {@link LocalKafka#stop()} waits after SIGTERM before killing. */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** Creates the handle without starting the broker. */
        public LocalKafka build() {
            return new LocalKafka(this);
        }

        /** Creates the handle and starts the broker; see {@link LocalKafka#start()}. */
        public LocalKafka start() {
            return build().start();
        }
    }
}
