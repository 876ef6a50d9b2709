package io.ved.tooling.verify;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of one verifier run: what was done to the application and what the checker and the live reader
 * found. {@link #passed()} only when nothing was lost, applied twice or reordered, every dead letter is explained,
 * the live reader saw no audit twice and none out of order, and the application caught up.
 *
 * @param faultCounts   faults done, by kind
 * @param resumeByKind  per fault (by kind) the time until processing resumed, empty if it never did; faults that
 *                      hit an idle application (nothing left to handle) are not timed
 * @param live          what the read_committed reader of the audit inbox saw during the run
 */
public record VerifyReport(
        int messages, int poison, int accounts, int audits, int partitions, int processes, int applications, long seed,
        Map<FaultKind, Integer> faultCounts, List<Duration> brokerDownTimes, long rebalances, int unexpectedExits,
        long lost, long duplicated, long outOfOrder, long inconsistent,
        long deadLetters, long expectedDeadLetters, long unexplainedDeadLetters,
        Map<FaultKind, List<Optional<Duration>>> resumeByKind, List<String> faults, LiveCheck live,
        boolean caughtUp, Optional<String> failure, List<String> examples, Duration total, Path workDir) {

    /** The live reader's findings: audits read, seen twice, out of seq order for their account; whether it read to the end. */
    public record LiveCheck(long read, long duplicates, long outOfOrder, boolean reachedEnd) {
        public boolean passed() {
            return duplicates == 0 && outOfOrder == 0 && reachedEnd;
        }
    }

    public VerifyReport {
        faultCounts = Map.copyOf(faultCounts);
        resumeByKind = Map.copyOf(resumeByKind);
        brokerDownTimes = List.copyOf(brokerDownTimes);
        faults = List.copyOf(faults);
        examples = List.copyOf(examples);
    }

    public boolean passed() {
        return failure.isEmpty() && caughtUp && lost == 0 && duplicated == 0 && outOfOrder == 0 && inconsistent == 0
                && unexplainedDeadLetters == 0 && live.passed();
    }

    /** Faults of this kind done. */
    public int count(FaultKind kind) {
        return faultCounts.getOrDefault(kind, 0);
    }

    public int kills() {
        return count(FaultKind.APP_KILL);
    }

    public int brokerRestarts() {
        return count(FaultKind.BROKER_KILL);
    }

    /** The longest time from a fault of this kind until processing resumed; empty if none resumed. */
    public Optional<Duration> maxToResume(FaultKind kind) {
        return resumeByKind.getOrDefault(kind, List.of()).stream().flatMap(Optional::stream).max(Duration::compareTo);
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
        row(out, "processes", processes + " at the start (" + partitions + " partitions per inbox)"
                + (applications > 1 ? "; accounts and audits in " + applications + " applications" : ""));
        for (FaultKind kind : FaultKind.values()) {
            if (count(kind) > 0 || kind == FaultKind.APP_KILL) {
                List<Optional<Duration>> times = resumeByKind.getOrDefault(kind, List.of());
                row(out, kind.label(), count(kind) + (times.isEmpty() ? "" : "; processing resumed after at most "
                        + maxToResume(kind).map(VerifyReport::seconds).orElse("-") + resumeNote(times)));
            }
        }
        if (!brokerDownTimes.isEmpty()) {
            row(out, "broker down (kills and bounces)", String.join(", ", brokerDownTimes.stream().map(VerifyReport::seconds).toList()));
        }
        row(out, "rebalances", Long.toString(rebalances));
        row(out, "app exits not caused by a fault", Integer.toString(unexpectedExits));
        row(out, "lost", Long.toString(lost));
        row(out, "duplicated", Long.toString(duplicated));
        row(out, "out of order", Long.toString(outOfOrder));
        if (inconsistent > 0) {
            row(out, "other inconsistencies", Long.toString(inconsistent));
        }
        row(out, "dead letters", String.format("%,d (%,d expected poison, %,d unexplained)", deadLetters,
                expectedDeadLetters, unexplainedDeadLetters));
        row(out, "live reader (read_committed, audit inbox)", String.format("%,d audits read; %d seen twice, %d out of order%s",
                live.read(), live.duplicates(), live.outOfOrder(), live.reachedEnd() ? "" : "; did NOT read to the end"));
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
