package io.ved.tooling.verify;

import io.ved.tooling.stack.ProcessSignals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One Ved application process of the verifier: {@code java -cp <this JVM's classpath> io.ved.cli.VedCli run ...}
 * with its own state directory, its output appended to its own log file across restarts (so a kill and the
 * recovery after it read as one story). {@link #kill()} is a real kill -9.
 */
final class AppProcess {
    private final int index;
    private final VerifyDeployment.Application application;
    private final Path stateDir;
    private final Path logFile;
    private final List<String> command;
    private Process process;
    private int starts;
    private boolean wanted;

    /**
     * Process {@code index} of the run (its directory is {@code app-<index>}), running {@code application} from its
     * topology file with these clients' settings; not started yet.
     */
    AppProcess(int index, VerifyDeployment.Application application, Path workDir, Path topologyFile, String bootstrap,
               String registry, Map<String, String> config, Optional<Path> clientConfig) {
        this.index = index;
        this.application = application;
        Path dir = workDir.resolve("app-" + index);
        try {
            this.stateDir = Files.createDirectories(dir.resolve("state"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        this.logFile = dir.resolve("app.log");
        this.command = command(application.domainsClass(), topologyFile, bootstrap, registry, stateDir, config);
        // the file's path, never its contents: process arguments are visible to every user of the machine
        clientConfig.ifPresent(file -> command.addAll(List.of("--command-config", file.toAbsolutePath().toString())));
    }

    private static List<String> command(String domainsClass, Path topologyFile, String bootstrap, String registry, Path stateDir,
                                        Map<String, String> config) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // C1 only: a restarted app is back sooner, and the verifier's load needs no peak throughput
        command.addAll(List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:+ExitOnOutOfMemoryError"));
        // the flags ./ved passes to quiet newer JDKs' warnings (native access for RocksDB, Unsafe)
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--enable-native-access") || arg.startsWith("--sun-misc-unsafe-memory-access")) {
                command.add(arg);
            }
        }
        if (System.getProperty("ved.home") != null) {
            command.add("-Dved.home=" + System.getProperty("ved.home"));
        }
        // The CLI's logging keeps Kafka quiet; the app log is for explaining a kill and its recovery, and the
        // verifier counts rebalances from the consumer coordinator's "joined group with generation" lines.
        command.addAll(List.of(
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS",
                "-Dorg.slf4j.simpleLogger.showThreadName=true",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.consumer.internals.ConsumerCoordinator=info",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.streams.KafkaStreams=info"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.ved.cli.VedCli");
        command.addAll(List.of("run", "--domains", domainsClass, "--topology", topologyFile.toString(),
                "--bootstrap", bootstrap, "--registry", registry, "--state-dir", stateDir.toString(),
                // the verifier created the topics; an app restarted while the broker is down must wait for it, not
                // give up after run's bounded wait for the topic check
                "--no-create-topics",
                // no state endpoint: a killed process could not unregister it from .ved/endpoints
                "--query-port", "-1"));
        config.forEach((key, value) -> command.addAll(List.of("--config", key + "=" + value)));
        return command;
    }

    /** Starts the process, unless it runs; from now on it is {@link #wanted()}. */
    synchronized void start() {
        wanted = true;
        if (isAlive()) {
            return;
        }
        starts++;
        note("starting app process " + index + " (start #" + starts + ")");
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("VED_DEBUG", "1");   // a process that fails says where, in its log
            process = builder
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start app process " + index + " with " + command.getFirst(), e);
        }
    }

    /** kill -9: no shutdown hook runs, nothing is flushed, the open transaction stays open until aborted. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        note("verifier: kill -9 of pid " + process.pid());
        process.destroyForcibly();
        await(process, 30);
        process = null;
    }

    /**
     * SIGSTOP, held for {@code length}, then SIGCONT: the process is frozen as by a long GC pause, its group session
     * expires meanwhile, and what it does when it wakes (a late commit) must be fenced. Returns at once if it is not
     * running.
     */
    void pause(java.time.Duration length) throws InterruptedException {
        long pid;
        synchronized (this) {
            if (process == null || !process.isAlive()) {
                return;
            }
            pid = process.pid();
        }
        note("verifier: SIGSTOP of pid " + pid + " for " + length.toSeconds() + " s");
        ProcessSignals.stop(pid);
        try {
            Thread.sleep(length.toMillis());
        } finally {
            ProcessSignals.resume(pid);
            note("verifier: SIGCONT of pid " + pid);
        }
    }

    /** SIGTERM, as an operator stops it: Ved closes and commits; killed if it takes more than 30 s. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!await(process, 30)) {
            process.destroyForcibly();
            await(process, 10);
        }
        process = null;
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Started but no longer running, without the verifier having killed or stopped it. */
    synchronized boolean exitedUnexpectedly() {
        return process != null && !process.isAlive();
    }

    synchronized int exitCode() {
        return process == null || process.isAlive() ? -1 : process.exitValue();
    }

    /** Forgets a process that exited on its own, so it can be started again. */
    synchronized void forgetExited() {
        if (process != null && !process.isAlive()) {
            note("verifier: the process exited on its own with code " + process.exitValue());
            process = null;
        }
    }

    /**
     * Takes the process out of the run for good (a scale-down): SIGTERM when {@code cleanly}, else kill -9. The chaos
     * no longer restarts it.
     */
    synchronized void retire(boolean cleanly) {
        wanted = false;
        if (cleanly) {
            stop();
        } else {
            kill();
        }
    }

    /** Started and not retired: it should be running, and is restarted when it is not. */
    synchronized boolean wanted() {
        return wanted;
    }

    VerifyDeployment.Application application() {
        return application;
    }

    int index() {
        return index;
    }

    Path logFile() {
        return logFile;
    }

    synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    private static boolean await(Process p, int seconds) {
        try {
            return p.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void note(String line) {
        try {
            Files.writeString(logFile, "---- " + Instant.now() + " " + line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // a marker line only
        }
    }
}
