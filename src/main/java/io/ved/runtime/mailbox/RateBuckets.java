package io.ved.runtime.mailbox;

import io.ved.internal.Bucket;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Token buckets in the runtime store. A bucket refills at its rate up to its burst size, measured by the time
 * the caller gives (a message's own time), so the same messages meet the same limits on a replay.
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
     * Takes one token from every bucket when all have one at time {@code at}.
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
        Bucket bucket = RECORDS.decode(bytes);
        long elapsed = Math.max(0, at - bucket.getAt());
        double tokens = Math.min(limit.burst(), bucket.getTokens() + elapsed * limit.perSecond() / 1000);
        return new Bucket(tokens, Math.max(at, bucket.getAt()));
    }
}
