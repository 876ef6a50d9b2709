package io.ved.api;

import java.time.Duration;
import java.util.Objects;

/**
 * When a {@link VedSender} holds back: the high-water mark of the target's mailbox depth, and what to do when
 * the depth is above it.
 *
 * <p>On a log nothing is pushed at a consumer: the application pulls its inbox at its own pace, and what grows
 * when senders outpace it is the consumer lag, the messages written but not yet handled. That lag, plus the
 * messages the application has read but holds back in its retry and throttle queues (which each partition's task
 * publishes to {@code <application>.depth}), is a mailbox's depth. The mark is compared with the depth of the target's whole domain type (the lag summed over every
 * partition of its inbox topic) or, with {@link #perPartition()}, with the depth of the one partition the
 * target's id hashes to (one busy instance then holds back only the senders to its partition).
 *
 * <p>The depth is measured from the broker (end offsets minus the application's committed offsets, plus the
 * latest published queue depths; a task publishes a change within about a second) at most
 * once per {@link #sampleEvery()} per topic; sends in between use the last measurement, so a send does not
 * ask the broker each time, and the depth seen may be up to that old.
 *
 * <pre>{@code
 * Backpressure.refuseAbove(10_000);                               // throw BackpressureException at once
 * Backpressure.waitBelow(10_000, Duration.ofSeconds(30));         // block until it drains, at most 30 s
 * Backpressure.refuseAbove(500).perPartition();                   // the mark counts per inbox partition
 * }</pre>
 *
 * @param highWaterMark a send is held back while the depth is above this many messages (0: only into an empty mailbox)
 * @param scope         what the depth counts: the whole domain type, or the target's partition
 * @param onFull        refuse at once, or wait for the depth to fall to the mark
 * @param maxWait       with {@link OnFull#WAIT}: how long to wait before refusing after all
 * @param sampleEvery   the youngest a measurement of one topic's depth may be before it is taken again
 */
public record Backpressure(long highWaterMark, Scope scope, OnFull onFull, Duration maxWait, Duration sampleEvery) {
    public static final Duration DEFAULT_SAMPLE_EVERY = Duration.ofMillis(500);

    /** What the depth compared with the mark counts. */
    public enum Scope {
        /** Every message waiting in the domain type's inbox, summed over its partitions. */
        DOMAIN_TYPE,
        /** The messages waiting in the inbox partition of the target instance. */
        PARTITION
    }

    /** What a send does when the depth is above the mark. */
    public enum OnFull {
        /** Throw {@link BackpressureException} at once; nothing is sent. */
        REFUSE,
        /** Block until the depth is at or below the mark, then send; throw after {@code maxWait}. */
        WAIT
    }

    public Backpressure {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(onFull, "onFull");
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(sampleEvery, "sampleEvery");
        if (highWaterMark < 0) {
            throw new IllegalArgumentException("the high-water mark must not be negative, not " + highWaterMark);
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("the longest wait must not be negative, not " + maxWait);
        }
        if (sampleEvery.isNegative()) {
            throw new IllegalArgumentException("the sampling interval must not be negative, not " + sampleEvery);
        }
    }

    /** Refuse a send while the target's domain type has more than {@code highWaterMark} messages waiting. */
    public static Backpressure refuseAbove(long highWaterMark) {
        return new Backpressure(highWaterMark, Scope.DOMAIN_TYPE, OnFull.REFUSE, Duration.ZERO, DEFAULT_SAMPLE_EVERY);
    }

    /** Block a send while the target's domain type has more than {@code highWaterMark} waiting; refuse after {@code maxWait}. */
    public static Backpressure waitBelow(long highWaterMark, Duration maxWait) {
        return new Backpressure(highWaterMark, Scope.DOMAIN_TYPE, OnFull.WAIT, maxWait, DEFAULT_SAMPLE_EVERY);
    }

    /** The same, with the mark counting the messages waiting in the target's own inbox partition. */
    public Backpressure perPartition() {
        return new Backpressure(highWaterMark, Scope.PARTITION, onFull, maxWait, sampleEvery);
    }

    /** The same, measuring each topic's depth at most once per {@code interval}. */
    public Backpressure sampledEvery(Duration interval) {
        return new Backpressure(highWaterMark, scope, onFull, maxWait, interval);
    }

    @Override
    public String toString() {
        return (onFull == OnFull.REFUSE ? "refuse" : "wait up to " + maxWait.toMillis() + " ms") + " above "
                + highWaterMark + " waiting messages per " + (scope == Scope.PARTITION ? "inbox partition" : "domain type");
    }
}
