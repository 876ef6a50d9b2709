package io.ved.tooling.stack;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Stops a process started by an earlier {@code ved up}, by pid, only if its command line still shows it is
 * ours: a pid may have been reused by something else since.
 */
public final class ProcessStopper {
    private ProcessStopper() {
    }

    /** The full command line: ProcessHandle.Info truncates long ones (a broker's classpath is long) on Linux. */
    private static String commandLine(ProcessHandle process) {
        java.nio.file.Path proc = java.nio.file.Path.of("/proc", Long.toString(process.pid()), "cmdline");
        try {
            return new String(java.nio.file.Files.readAllBytes(proc), java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (java.io.IOException | UnsupportedOperationException noProcFs) {
            return process.info().commandLine().orElse("");
        }
    }

    public enum Outcome { STOPPED, KILLED, NOT_RUNNING, NOT_OURS }

    public static Outcome stop(long pid, String commandLineMarker, Duration grace) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return Outcome.NOT_RUNNING;
        }
        ProcessHandle process = handle.get();
        if (!commandLine(process).contains(commandLineMarker)) {
            return Outcome.NOT_OURS;
        }
        process.destroy();
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return Outcome.STOPPED;
        } catch (Exception stillRunning) {
            process.destroyForcibly();
            return Outcome.KILLED;
        }
    }
}
