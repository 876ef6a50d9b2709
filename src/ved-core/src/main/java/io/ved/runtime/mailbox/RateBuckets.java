package io.ved.runtime.mailbox;

import io.ved.internal.Bucket;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Token buckets in the runtime store. A bucket refills at its rate up to its burst size, measured by the wall clock
 * of the task: one clock for every caller, so a message whose own time is far from now cannot stall a bucket.
 */
public final class RateBuckets {
    private static final InternalRecords<Bucket> RECORDS = new InternalRecords<>(Bucket.class);

    /** One limit: a bucket name, tokens per second, and the most tokens it holds. */
    public record Limit(String name, double perSecond, int burst) {
    }

    private final KeySpace space;

    public RateBuckets(KeyValueStore<String, byte[]> store) {
        this.space = new KeySpace(store, "rb|");
    }

    /**
     * Takes one token from every bucket when all have one at wall-clock time {@code at}.
     *
     * @return 0 when taken, else how many milliseconds until all would have one (nothing is taken then)
     */
    public long tryTake(List<Limit> limits, long at) {
        long wait = 0;
        Bucket[] buckets = new Bucket[limits.size()];
        for (int i = 0; i < limits.size(); i++) {
            buckets[i] = refilled(limits.get(i), at);
            if (buckets[i].getTokens() < 1) {
                wait = Math.max(wait, (long) Math.ceil((1 - buckets[i].getTokens()) * 1000 / limits.get(i).perSecond()));
            }
        }
        if (wait > 0) {
            return wait;
        }
        for (int i = 0; i < limits.size(); i++) {
            buckets[i].setTokens(buckets[i].getTokens() - 1);
            space.put(limits.get(i).name(), RECORDS.encode(buckets[i]));
        }
        return 0;
    }

    private Bucket refilled(Limit limit, long at) {
        byte[] bytes = space.get(limit.name());
        if (bytes == null) {
            return new Bucket((double) limit.burst(), at);
        }
        Bucket bucket;
        try {
            bucket = RECORDS.decode(bytes);
        } catch (RuntimeException unreadable) {
            return new Bucket((double) limit.burst(), at); // a bucket is only a rate: a full one is a safe restart
        }
        // A bucket stamped later than now (a clock set back, or stamped by an older version with a message's own
        // time) refills from now on instead of waiting for that time to come.
        long elapsed = Math.max(0, at - bucket.getAt());
        double tokens = Math.min(limit.burst(), bucket.getTokens() + elapsed * limit.perSecond() / 1000);
        return new Bucket(tokens, at);
    }

    /**
     * Deletes up to {@code max} buckets, from where the last sweep stopped, that are full again at {@code now} (or
     * whose limit is off): a full bucket is what a missing one means, so idle instances leave nothing behind.
     *
     * @param limitOf the limit a bucket name stands for now, or null when that limit is off
     * @return how many buckets were looked at
     */
    public int sweep(long now, java.util.function.Function<String, Limit> limitOf, int max) {
        List<org.apache.kafka.streams.KeyValue<String, byte[]>> entries = space.after(sweptTo, max);
        sweptTo = entries.size() < max ? "" : entries.getLast().key;
        for (var entry : entries) {
            Limit limit = limitOf.apply(entry.key);
            if (limit == null || refilled(limit, now).getTokens() >= limit.burst()) {
                space.delete(entry.key);
            }
        }
        return entries.size();
    }

    private String sweptTo = "";
}
