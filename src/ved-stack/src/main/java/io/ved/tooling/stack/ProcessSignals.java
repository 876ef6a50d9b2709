package io.ved.tooling.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * SIGSTOP and SIGCONT for fault tests: a stopped process is frozen as by a long GC pause or a hung host, its
 * sockets open and silent, until it is continued. The JDK can only terminate processes, so this runs {@code kill}.
 */
public final class ProcessSignals {
    private ProcessSignals() {
    }

    /** Freezes the process. @throws IllegalStateException if {@code kill -STOP} fails (e.g. no such process) */
    public static void stop(long pid) {
        send("STOP", pid);
    }

    /** Lets a frozen process run again. @throws IllegalStateException if {@code kill -CONT} fails */
    public static void resume(long pid) {
        send("CONT", pid);
    }

    private static void send(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill -" + signal + " " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + signal + " to " + pid, e);
        }
    }
}
