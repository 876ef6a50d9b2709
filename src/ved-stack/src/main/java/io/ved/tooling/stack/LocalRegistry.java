package io.ved.tooling.stack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Apicurio Registry running as a child JVM on the loopback interface, for tests and the local quick
 * start.
 *
 * <p>It exists because Docker is not available everywhere Ved is built, and Confluent's registry is not on
 * Maven Central; Apicurio's server is, as a plain Quarkus distribution that runs on any Java 21+ JVM and
 * speaks Confluent's REST API under {@link #ccompatUrl()}.
 *
 * <p>The process is made deliberately private and disposable: HTTP and the Quarkus management interface are
 * both bound to 127.0.0.1 (the management interface cannot be switched off at run time, it is fixed at
 * build time, and by default listens on 0.0.0.0:9000); storage is an in-memory H2 database, so every start
 * is empty; and its log and temporary files stay inside the given work directory.
 *
 * <p>{@link #close()} stops the process; a JVM shutdown hook does the same if the owner forgets, so an
 * aborted test run does not leave a registry holding a port.
 */
public final class LocalRegistry implements AutoCloseable {

    public static final String VERSION = "3.3.3";
    public static final String CCOMPAT_PATH = "/apis/ccompat/v7";
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(90);
    /**
     * The registry-wide compatibility rule the local stack starts with: Confluent's default, so that schemas are
     * contracts from the first run (a topology file's {@code compatibility:} sets its own subjects' levels).
     */
    public static final String DEFAULT_COMPATIBILITY = "BACKWARD";

    private static final String HOST = "127.0.0.1";
    private static final String ARTIFACT = "io.apicurio:apicurio-registry-app:" + VERSION + ":tar.gz:all";
    private static final String LAUNCHER = "quarkus-run.jar";
    /** Written last when unpacking, so a half-unpacked cache from a killed run is never mistaken for a good one. */
    private static final String COMPLETE_MARKER = ".ved-unpacked";
    /** Quarkus prints this once the HTTP server is bound; with port 0 it is the only place the real port appears. */
    private static final Pattern LISTENING = Pattern.compile("Listening on: http://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final int LOG_TAIL_LINES = 40;

    private final Process process;
    private final int port;
    private final Path logFile;
    private final Thread shutdownHook;

    private LocalRegistry(Process process, int port, Path logFile, Thread shutdownHook) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.shutdownHook = shutdownHook;
    }

    /** Starts a registry on a port the OS picks, so parallel builds on one machine never collide. */
    public static LocalRegistry start(Path distribution, Path workDir) {
        return start(distribution, workDir, 0, DEFAULT_READY_TIMEOUT);
    }

    /**
     * Starts the registry and returns once its Confluent API answers.
     *
     * @param distribution an unpacked Apicurio Registry distribution (the directory holding
     *     {@code quarkus-run.jar}), e.g. from {@link #ensureDistribution()}
     * @param workDir where the log ({@code apicurio-registry.log}) and the child's temporary files go
     * @param port the HTTP port on 127.0.0.1, or 0 to let the OS pick a free one
     * @param readyTimeout how long to wait for the API to answer before giving up (startup takes ~6 s)
     * @throws IllegalStateException if it does not become ready in time or exits early; the message holds the
     *     tail of the log, because that is where the reason (a port in use, a bad setting) will be
     */
    public static LocalRegistry start(Path distribution, Path workDir, int port, Duration readyTimeout) {
        var launcher = distribution.resolve(LAUNCHER);
        if (!Files.isRegularFile(launcher)) {
            throw new IllegalArgumentException(distribution + " is not an Apicurio Registry distribution: no "
                    + LAUNCHER);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        var tmp = workDir.resolve("tmp");
        var logFile = workDir.resolve("apicurio-registry.log");
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create work directory " + workDir, e);
        }

        var command = new ArrayList<String>();
        command.add(javaExecutable());
        // A test-sized registry: a small serial-GC heap keeps it from competing with the build for the
        // machine's cores and memory; C1 only, because it starts faster and never runs long enough to gain.
        command.addAll(List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        // Native libraries (brotli4j) and Vert.x's file cache are unpacked under java.io.tmpdir; keep them
        // out of the shared /tmp so several registries, or several users, don't trip over each other.
        command.add("-Djava.io.tmpdir=" + tmp);
        command.add("-Dquarkus.http.host=" + HOST);
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.management.host=" + HOST);
        command.add("-Dquarkus.management.port=0");
        command.add("-Dapicurio.storage.kind=sql");
        command.add("-Dapicurio.storage.sql.kind=h2");
        command.add("-Dapicurio.datasource.url=jdbc:h2:mem:registry");
        // Its default pool opens 20 connections up front; an in-memory test database needs a couple.
        command.add("-Dapicurio.datasource.jdbc.initial-size=2");
        command.add("-Dapicurio.datasource.jdbc.min-size=2");
        command.add("-Dapicurio.datasource.jdbc.max-size=20");
        command.add("-Dapicurio.storage.snapshot.location=" + tmp);
        command.add("-Dapicurio.import.work-dir=" + tmp);
        command.add("-jar");
        command.add(launcher.toString());

        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(distribution.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Apicurio Registry with " + command.getFirst(), e);
        }
        var hook = new Thread(() -> stop(process), "ved-local-registry-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            var actualPort = awaitReady(process, port, logFile, readyTimeout);
            setGlobalCompatibility("http://" + HOST + ":" + actualPort + CCOMPAT_PATH, DEFAULT_COMPATIBILITY);
            return new LocalRegistry(process, actualPort, logFile, hook);
        } catch (RuntimeException | Error e) {
            stop(process);
            removeHook(hook);
            throw e;
        }
    }

    /** The Confluent-compatible API root, e.g. {@code http://127.0.0.1:43159/apis/ccompat/v7}. */
    public String ccompatUrl() {
        return "http://" + HOST + ":" + port + CCOMPAT_PATH;
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /**
     * Lets the registry outlive this JVM (for {@code ved up}): no shutdown hook will stop it any more.
     *
     * @return the registry's process id, for whoever stops it later
     */
    public long detach() {
        removeHook(shutdownHook);
        return process.pid();
    }

    /** Asks the registry to stop (SIGTERM, which Quarkus handles in well under a second), then insists. */
    @Override
    public void close() {
        stop(process);
        removeHook(shutdownHook);
    }

    /**
     * The unpacked distribution in {@code ~/.cache/ved/apicurio-registry-3.3.3} (or under
     * {@code $XDG_CACHE_HOME}), fetching and unpacking it first if needed.
     */
    public static Path ensureDistribution() {
        var xdg = System.getenv("XDG_CACHE_HOME");
        var cacheRoot = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        return ensureDistribution(cacheRoot.resolve("ved").resolve("apicurio-registry-" + VERSION));
    }

    /**
     * Makes sure {@code target} holds the unpacked distribution and returns it.
     *
     * <p>The tarball is taken from the local Maven repository, and fetched into it with Maven when absent,
     * because Maven Central is the one remote every Ved build can already reach, and Maven then also
     * checks its checksum. Unpacking goes to a sibling directory that is renamed into place only when
     * complete, so concurrent builds and interrupted runs cannot leave a broken cache behind.
     */
    public static Path ensureDistribution(Path target) {
        if (Files.isRegularFile(target.resolve(COMPLETE_MARKER)) && Files.isRegularFile(target.resolve(LAUNCHER))) {
            return target;
        }
        var tarball = ensureTarball();
        var staging = target.resolveSibling(target.getFileName() + ".unpacking-" + ProcessHandle.current().pid());
        try {
            deleteRecursively(staging);
            Files.createDirectories(staging);
            run(List.of("tar", "-xzf", tarball.toString(), "-C", staging.toString()), Duration.ofMinutes(5),
                    "unpacking " + tarball);
            if (!Files.isRegularFile(staging.resolve(LAUNCHER))) {
                throw new IllegalStateException(tarball + " does not contain " + LAUNCHER
                        + " at its top level; is it the 'all' distribution?");
            }
            Files.writeString(staging.resolve(COMPLETE_MARKER), ARTIFACT + System.lineSeparator());
            if (Files.exists(target) && !Files.isRegularFile(target.resolve(COMPLETE_MARKER))) {
                deleteRecursively(target); // a leftover from an older, interrupted layout
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // Usually another build finished first (the target now exists and is complete): its copy is
                // as good as ours. Anything else is a real failure.
                if (!Files.isRegularFile(target.resolve(COMPLETE_MARKER))) {
                    throw e;
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack Apicurio Registry into " + target, e);
        } finally {
            try {
                deleteRecursively(staging);
            } catch (IOException ignored) {
                // only a stray temporary directory
            }
        }
    }

    /** The distribution tarball in the local Maven repository, downloaded from Maven Central if absent. */
    public static Path ensureTarball() {
        var repoProperty = System.getProperty("maven.repo.local");
        var repo = repoProperty != null && !repoProperty.isBlank()
                ? Path.of(repoProperty)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        var tarball = repo.resolve(Path.of("io", "apicurio", "apicurio-registry-app", VERSION,
                "apicurio-registry-app-" + VERSION + "-all.tar.gz"));
        if (Files.isRegularFile(tarball)) {
            return tarball;
        }
        System.out.println("Downloading Apicurio Registry " + VERSION + " (~158 MB) from Maven Central into "
                + repo + " ...");
        var mvn = System.getProperty("os.name", "").startsWith("Windows") ? "mvn.cmd" : "mvn";
        var command = new ArrayList<>(List.of(mvn, "-q", "-B",
                "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get",
                // Without this Maven resolves the server's own dependency tree too, which names repositories
                // other than Central and fails where only Central is reachable; the tarball is self-contained.
                "-Dtransitive=false",
                "-Dartifact=" + ARTIFACT));
        if (repoProperty != null && !repoProperty.isBlank()) {
            command.add("-Dmaven.repo.local=" + repo);
        }
        run(command, Duration.ofMinutes(20), "downloading " + ARTIFACT);
        if (!Files.isRegularFile(tarball)) {
            throw new IllegalStateException("Maven reported success but " + tarball + " is missing");
        }
        return tarball;
    }

    /**
     * The running JVM's own launcher: it is known to exist and, since Ved is compiled for Java 21, known to be
     * new enough for Apicurio 3 (which needs 21+). {@code java.home} is used rather than the process command
     * line, because the latter names a native wrapper when the app was started by one.
     */
    private static String javaExecutable() {
        if (Runtime.version().feature() < 21) {
            throw new IllegalStateException("Apicurio Registry " + VERSION + " needs Java 21+, this JVM is "
                    + Runtime.version());
        }
        var windows = System.getProperty("os.name", "").startsWith("Windows");
        var java = Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java");
        if (Files.isExecutable(java)) {
            return java.toString();
        }
        return ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot find the java executable of this JVM"));
    }

    private static int awaitReady(Process process, int requestedPort, Path logFile, Duration timeout) {
        var deadline = System.nanoTime() + timeout.toNanos();
        var started = System.nanoTime();
        try (var http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build()) {
            var port = requestedPort;
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Apicurio Registry exited with code " + process.exitValue()
                            + " during startup" + logTail(logFile));
                }
                if (port == 0) {
                    port = portFromLog(logFile);
                }
                if (port != 0 && answers(http, port)) {
                    return port;
                }
                sleep(POLL_INTERVAL);
            }
            throw new IllegalStateException("Apicurio Registry did not answer on " + HOST + ":"
                    + (port == 0 ? "(port not yet bound)" : port) + CCOMPAT_PATH + " within "
                    + Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0 + " s" + logTail(logFile));
        }
    }

    /**
     * Sets the registry-wide compatibility level through Confluent's API ({@code PUT /config}) of the registry at
     * {@code ccompatUrl} (e.g. {@code http://127.0.0.1:8081/apis/ccompat/v7}); the container stack of the test kit
     * starts its registry the same way.
     *
     * @throws IllegalStateException when the registry refuses it
     */
    public static void setGlobalCompatibility(String ccompatUrl, String level) {
        try (var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build()) {
            var request = HttpRequest.newBuilder(URI.create(ccompatUrl + "/config"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}"))
                    .build();
            var reply = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (reply.statusCode() != 200) {
                throw new IllegalStateException("Apicurio Registry refused the global compatibility level " + level
                        + ": HTTP " + reply.statusCode() + " " + reply.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set the registry's global compatibility level", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while configuring Apicurio Registry", e);
        }
    }

    private static boolean answers(HttpClient http, int port) {
        var request = HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port + CCOMPAT_PATH + "/subjects"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Apicurio Registry", e);
        }
    }

    private static int portFromLog(Path logFile) {
        try (var lines = Files.lines(logFile, StandardCharsets.UTF_8)) {
            return lines.map(LISTENING::matcher)
                    .filter(Matcher::find)
                    .map(m -> Integer.parseInt(m.group(1)))
                    .findFirst()
                    .orElse(0);
        } catch (IOException | UncheckedIOException e) {
            return 0; // not written yet, or a partial line: try again on the next poll
        }
    }

    private static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down and the hook is running or has run
        }
    }

    private static String logTail(Path logFile) {
        try {
            var lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            var tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
            return "; last lines of " + logFile + ":" + System.lineSeparator()
                    + String.join(System.lineSeparator(), tail);
        } catch (IOException | UncheckedIOException e) {
            return "; its log " + logFile + " could not be read: " + e.getMessage();
        }
    }

    private static void run(List<String> command, Duration timeout, String what) {
        try {
            var process = new ProcessBuilder(command).inheritIO()
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(what + " took longer than " + timeout.toMinutes() + " min: "
                        + String.join(" ", command));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(what + " failed with exit code " + process.exitValue() + ": "
                        + String.join(" ", command));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": cannot run " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + what, e);
        }
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Apicurio Registry", e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
