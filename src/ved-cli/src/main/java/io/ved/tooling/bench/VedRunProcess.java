package io.ved.tooling.bench;

import io.ved.cli.VedCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@code ved run} child process of the bench domains, as the recovery and fail-over measurements start them. */
final class VedRunProcess {
    private VedRunProcess() {
    }

    /** Starts {@code ved run} on the bench stack with the topology, state directory and extra flags; output to the log. */
    static Process launch(BenchRun run, Path topologyFile, Path stateDir, Path logFile, List<String> extraArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        int feature = Runtime.version().feature();
        if (feature >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        if (feature >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), VedCli.class.getName(), "run",
                "--bootstrap", run.stack().bootstrap(), "--registry", run.stack().registryUrl(), "--topology", topologyFile.toString(),
                "--domains", BenchDomains.class.getName(), "--state-dir", stateDir.toString(), "--no-create-topics"));
        command.addAll(extraArgs);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
    }

    static boolean logSays(Path logFile, String text) {
        try {
            return Files.exists(logFile) && Files.readString(logFile, StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, then SIGKILL after 30 s. */
    static void stop(Process process) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
