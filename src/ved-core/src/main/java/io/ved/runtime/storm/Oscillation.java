package io.ved.runtime.storm;

import java.util.List;
import java.util.Optional;

/**
 * Finds a loop at the end of a trail: the shortest cycle of steps (A[1] gets Ping, B[2] gets Pong, ...)
 * that the chain has gone round more than the allowed number of times in a row. A long chain that never
 * comes back to the same receiver with the same message type has no such cycle.
 */
public final class Oscillation {

    /** A detected loop: its steps by name (when the trail still holds them) and how often it repeated. */
    public record Cycle(List<String> steps, int repeats) {
        public String describe() {
            return String.join(" -> ", steps) + " (repeated " + repeats + " times)";
        }
    }

    private Oscillation() {
    }

    /**
     * @param trail      the trail including the message being received
     * @param maxRepeats how many times a cycle may repeat before it counts as a storm; 0 turns detection off
     */
    public static Optional<Cycle> find(Trail trail, int maxRepeats) {
        if (maxRepeats <= 0) {
            return Optional.empty();
        }
        List<String> steps = trail.hashes();
        int n = steps.size();
        for (int period = 1; period * (maxRepeats + 1) <= n; period++) {
            int repeats = repeatsAtEnd(steps, period);
            if (repeats > maxRepeats) {
                return Optional.of(new Cycle(namesOfLast(trail, period), repeats));
            }
        }
        return Optional.empty();
    }

    private static int repeatsAtEnd(List<String> steps, int period) {
        int n = steps.size();
        int matching = 0;
        while (n - period - matching - 1 >= 0 && steps.get(n - 1 - matching).equals(steps.get(n - 1 - matching - period))) {
            matching++;
        }
        return (matching + period) / period;
    }

    private static List<String> namesOfLast(Trail trail, int period) {
        List<String> names = trail.names();
        if (names.size() < period) {
            return List.of("a cycle of " + period + " steps ending at " + (names.isEmpty() ? "?" : names.getLast()));
        }
        return names.subList(names.size() - period, names.size());
    }
}
