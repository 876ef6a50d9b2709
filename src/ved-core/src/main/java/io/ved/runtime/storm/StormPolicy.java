package io.ved.runtime.storm;

/**
 * The limits that stop runaway message generation for one domain type.
 *
 * @param hopLimit       a message more than this many sends away from its root is quarantined, not handled
 * @param maxRepeats     a cycle of sends that repeats more than this many times in a row is quarantined (0: off)
 */
public record StormPolicy(int hopLimit, int maxRepeats) {
    public static final StormPolicy DEFAULT = new StormPolicy(64, 5);

    public StormPolicy {
        if (hopLimit < 1) {
            throw new IllegalArgumentException("hopLimit must be at least 1, not " + hopLimit);
        }
        if (maxRepeats < 0) {
            throw new IllegalArgumentException("oscillation.maxRepeats must not be negative (0 turns detection off)");
        }
    }
}
