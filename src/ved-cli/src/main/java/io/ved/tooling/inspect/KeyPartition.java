package io.ved.tooling.inspect;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The partition a key lands in under Kafka's default partitioner (murmur2 of the key bytes), which is what
 * Ved's producers and Kafka Streams' sinks use: so a tool reads one partition instead of a whole topic.
 */
public final class KeyPartition {
    private KeyPartition() {
    }

    public static int of(byte[] key, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("a topic has at least one partition, not " + partitions);
        }
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    public static int of(String key, int partitions) {
        return of(key.getBytes(StandardCharsets.UTF_8), partitions);
    }
}
