package io.ved.api;

import java.time.Duration;

/**
 * A send held back because the target's mailbox is fuller than the sender's {@link Backpressure} allows: nothing
 * was sent. Try again later, slow down, or raise the mark.
 */
public final class BackpressureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final DomainRef target;
    private final String topic;
    private final int partition;
    private final long depth;
    private final long highWaterMark;
    private final Duration waited;

    /**
     * @param partition the partition whose depth counted, or -1 when the whole domain type's depth counted
     * @param waited    how long the send waited before giving up (zero when it refused at once)
     */
    public BackpressureException(DomainRef target, String topic, int partition, long depth, long highWaterMark, Duration waited) {
        super(describe(target, topic, partition, depth, highWaterMark, waited));
        this.target = target;
        this.topic = topic;
        this.partition = partition;
        this.depth = depth;
        this.highWaterMark = highWaterMark;
        this.waited = waited;
    }

    private static String describe(DomainRef target, String topic, int partition, long depth, long mark, Duration waited) {
        String where = partition < 0
                ? target.type() + "'s mailboxes hold " + depth + " waiting message" + (depth == 1 ? "" : "s") + " (lag and deferred queues of " + topic + ")"
                : target + "'s inbox partition " + topic + "-" + partition + " holds " + depth + " waiting message" + (depth == 1 ? "" : "s");
        String mark1 = "the high-water mark of " + mark + (partition < 0 ? "" : " per partition");
        return waited.isZero()
                ? "not sent to " + target + ": " + where + ", above " + mark1
                : "not sent to " + target + ": after waiting " + seconds(waited) + ", " + where + ", still above " + mark1;
    }

    private static String seconds(Duration d) {
        return d.toMillis() < 1000 ? d.toMillis() + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** The instance the message was for. */
    public DomainRef target() {
        return target;
    }

    /** The domain type whose mailbox was too full. */
    public DomainType targetType() {
        return target.type();
    }

    /** The inbox topic measured. */
    public String topic() {
        return topic;
    }

    /** The inbox partition measured, or -1 when the depth of the whole domain type counted. */
    public int partition() {
        return partition;
    }

    /** The depth last measured: messages written to the inbox and not yet handled. */
    public long depth() {
        return depth;
    }

    public long highWaterMark() {
        return highWaterMark;
    }

    /** How long the send waited before giving up; zero when it was refused at once. */
    public Duration waited() {
        return waited;
    }
}
