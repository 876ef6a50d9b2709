package io.ved.runtime.storm;

/**
 * Rate limits for one domain type, as token buckets measured by the task's wall clock (0 = no limit). Messages over a
 * limit are deferred in order, never dropped, and released as the bucket refills. A per-type limit applies per
 * partition, since each partition's mailboxes run on their own: the type's total is the limit times the
 * number of partitions.
 *
 * @param handledPerInstance messages one instance may handle per second
 * @param sentPerInstance    messages one instance may send per second; excess sends wait in its outbox
 * @param handledPerType     messages all instances of the type on one partition may handle per second
 * @param burst              how many messages a bucket holds when full (at least 1)
 */
public record ThrottlePolicy(double handledPerInstance, double sentPerInstance, double handledPerType, int burst) {
    public static final ThrottlePolicy NONE = new ThrottlePolicy(0, 0, 0, 1);

    public ThrottlePolicy {
        if (handledPerInstance < 0 || sentPerInstance < 0 || handledPerType < 0) {
            throw new IllegalArgumentException("throttle rates must not be negative (0 = no limit)");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("throttle.burst must be at least 1");
        }
    }

    public boolean limitsHandling() {
        return handledPerInstance > 0 || handledPerType > 0;
    }

    public boolean limitsSending() {
        return sentPerInstance > 0;
    }
}
