package io.ved.runtime.ops;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Which active stores of this instance are being restored from their changelogs, and how many records they have
 * left: Kafka Streams reports {@code RUNNING} while its state updater still restores, so readiness asks this too.
 * Called by Kafka Streams' restore threads; read by the HTTP threads. Thread-safe.
 */
public final class RestoreProgress implements StateRestoreListener {
    private record Key(TopicPartition changelog, String store) {
    }

    /** Per store partition under restoration: its end offset and the offset restored so far. */
    private final Map<Key, long[]> restoring = new ConcurrentHashMap<>();

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
        restoring.put(new Key(partition, store), new long[] {endingOffset, startingOffset});
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        long[] progress = restoring.get(new Key(partition, store));
        if (progress != null) {
            progress[1] = batchEndOffset;
        }
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        restoring.remove(new Key(partition, store));
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
        restoring.remove(new Key(partition, store)); // the task moved away: nothing left to wait for here
    }

    /** Store partitions being restored now. */
    public int restoring() {
        return restoring.size();
    }

    /** Changelog records still to restore, over every store partition being restored. */
    public long remainingRecords() {
        return restoring.values().stream().mapToLong(p -> Math.max(0, p[0] - p[1])).sum();
    }
}
