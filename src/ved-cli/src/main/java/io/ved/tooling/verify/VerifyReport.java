package io.ved.tooling.verify;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one verifier run: what was done to the application and what the checker found.
 * {@link #passed()} only when nothing was lost, applied twice or reordered, every dead letter is explained, and
 * the application caught up.
 */
public record VerifyReport(
        int messages, int poison, int accounts, int audits, int partitions, int processes, long seed,
        int kills, int brokerRestarts, List<Duration> brokerDownTimes, long rebalances, int unexpectedExits,
        long lost, long duplicated, long outOfOrder, long inconsistent,
        long deadLetters, long expectedDeadLetters, long unexplainedDeadLetters,
        List<Optional<Duration>> killToResume, List<Optional<Duration>> brokerRestartToResume, List<String> faults,
        boolean caughtUp, Optional<String> failure, List<String> examples, Duration total, Path workDir) {

    public boolean passed() {
        return failure.isEmpty() && caughtUp && lost == 0 && duplicated == 0 && outOfOrder == 0 && inconsistent == 0
                && unexplainedDeadLetters == 0;
    }

    /** The longest time from a kill -9 of an app process until processing resumed; empty if no kill resumed. */
    public Optional<Duration> maxKillToResume() {
        return killToResume.stream().flatMap(Optional::stream).max(Duration::compareTo);
    }

    public Optional<Duration> maxBrokerRestartToResume() {
        return brokerRestartToResume.stream().flatMap(Optional::stream).max(Duration::compareTo);
    }

    public void print(PrintWriter out) {
        if (!faults.isEmpty()) {
            out.println();
            out.println("Faults (times from the first deposit sent):");
            faults.forEach(f -> out.println("  " + f));
        }
        out.println();
        out.println("| what | value |");
        out.println("|---|---|");
        row(out, "messages", String.format("%,d (%,d of them poison, to be dead-lettered), over %,d accounts and %,d audits",
                messages, poison, accounts, audits));
        row(out, "processes", processes + " (" + partitions + " partitions per inbox)");
        row(out, "kills (kill -9 of an app process)", Integer.toString(kills));
        row(out, "broker restarts (kill -9)", brokerRestarts + (brokerDownTimes.isEmpty() ? ""
                : " (down " + String.join(", ", brokerDownTimes.stream().map(VerifyReport::seconds).toList()) + ")"));
        row(out, "rebalances", Long.toString(rebalances));
        row(out, "app exits not caused by a kill", Integer.toString(unexpectedExits));
        row(out, "lost", Long.toString(lost));
        row(out, "duplicated", Long.toString(duplicated));
        row(out, "out of order", Long.toString(outOfOrder));
        if (inconsistent > 0) {
            row(out, "other inconsistencies", Long.toString(inconsistent));
        }
        row(out, "dead letters", String.format("%,d (%,d expected poison, %,d unexplained)", deadLetters,
                expectedDeadLetters, unexplainedDeadLetters));
        row(out, "max time from a kill to processing resumed", maxKillToResume().map(VerifyReport::seconds).orElse("-")
                + resumeNote(killToResume));
        if (!brokerRestartToResume.isEmpty()) {
            row(out, "max time from a broker kill to processing resumed",
                    maxBrokerRestartToResume().map(VerifyReport::seconds).orElse("-") + resumeNote(brokerRestartToResume));
        }
        row(out, "total time", seconds(total));
        out.println();
        examples.forEach(e -> out.println("  " + e));
        failure.ifPresent(f -> out.println("  " + f));
        if (!caughtUp) {
            out.println("  the application did not catch up: the figures above are of an unfinished run");
        }
        out.println((passed() ? "PASSED" : "FAILED") + ": lost " + lost + ", duplicated " + duplicated + ", out of order "
                + outOfOrder + " (seed " + seed + "; logs in " + workDir + ")");
        out.flush();
    }

    private static String resumeNote(List<Optional<Duration>> times) {
        long unresolved = times.stream().filter(Optional::isEmpty).count();
        if (times.isEmpty()) {
            return "";
        }
        double mean = times.stream().flatMap(Optional::stream).mapToLong(Duration::toMillis).average().orElse(0) / 1000.0;
        return String.format(" (mean %.1f s over %d%s)", mean, times.size() - unresolved,
                unresolved == 0 ? "" : "; " + unresolved + " never resumed");
    }

    private static void row(PrintWriter out, String what, String value) {
        out.println("| " + what + " | " + value + " |");
    }

    static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
