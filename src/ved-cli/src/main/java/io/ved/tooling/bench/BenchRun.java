package io.ved.tooling.bench;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What every measurement of one benchmark run shares: the broker and registry, the settings, the run's id (in
 * every topic and application name) and work directory, and the progress log timed from the run's start.
 */
record BenchRun(BenchStack stack, BenchSettings settings, String runId, Path work, PrintWriter log, long startedNanos) {

    /** One line of progress, with the seconds since the run started. */
    void say(String format, Object... args) {
        Bench.say(log, startedNanos, format, args);
    }
}
