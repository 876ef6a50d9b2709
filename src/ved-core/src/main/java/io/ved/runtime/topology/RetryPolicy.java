package io.ved.runtime.topology;

import java.time.Duration;

/**
 * How often a failing handler is tried on one message before it becomes a dead letter, and how long to
 * wait between tries: exponential from {@code firstDelay}, capped at {@code maxDelay}. While an instance
 * waits, its later messages wait behind it, so its order holds; other instances keep going.
 */
public record RetryPolicy(int maxAttempts, Duration firstDelay, Duration maxDelay) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(200), Duration.ofSeconds(5));
    /** One try: a failure goes straight to the dead letters. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry.maxAttempts must be at least 1 (1 = no retry), not " + maxAttempts);
        }
        if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("retry delays must satisfy 0 <= firstDelayMs <= maxDelayMs");
        }
    }

    /** The wait before attempt number {@code attempt + 1}, after {@code attempt} failures. */
    public Duration delayAfter(int attempt) {
        long factor = 1L << Math.min(Math.max(attempt - 1, 0), 30);
        long millis = firstDelay.toMillis() * factor;
        return millis < 0 || millis > maxDelay.toMillis() ? maxDelay : Duration.ofMillis(millis);
    }
}
