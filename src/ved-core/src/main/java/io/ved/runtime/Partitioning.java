package io.ved.runtime;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The partition of an inbox a domain id belongs on: murmur2 of the key's bytes, as Kafka's Java producer's default
 * partitioner picks it. The runtime forwards a record found elsewhere; senders measure that partition's depth.
 */
public final class Partitioning {
    private Partitioning() {
    }

    /** @param partitions the inbox's partition count, at least 1 */
    public static int partitionOf(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    /** The partition of a domain id (its UTF-8 bytes are the record key). */
    public static int partitionOf(String id, int partitions) {
        return partitionOf(id.getBytes(StandardCharsets.UTF_8), partitions);
    }
}
