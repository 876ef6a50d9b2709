package io.ved.runtime.topology;

/**
 * How many records one domain type may keep waiting: messages deferred behind a retry or a rate limit, and sends
 * held in an outbox, counted per instance and per partition (each queue kind on its own). A record that would pass
 * a bound is dead-lettered ({@code DEFERRED_QUEUE_FULL}) instead of waiting, so a stuck or flooded instance cannot
 * fill the state store without limit.
 *
 * @param perInstance  records one instance may have waiting (topology file: {@code deferredQueue.perInstance})
 * @param perPartition records all instances on one partition may have waiting ({@code deferredQueue.perPartition})
 */
public record DeferredLimits(long perInstance, long perPartition) {
    public static final DeferredLimits DEFAULT = new DeferredLimits(10_000, 1_000_000);

    public DeferredLimits {
        if (perInstance < 1 || perPartition < 1) {
            throw new IllegalArgumentException("deferredQueue.perInstance and .perPartition must be at least 1");
        }
    }
}
