package io.ved.runtime.topology;

import io.ved.api.DomainType;

/**
 * The inbox topic of one domain type. Its partition count bounds how many app instances share the type's work.
 *
 * @param retentionMs how long inbox messages are kept (-1: for ever); replay reads as far back as this
 * @param policy      retries, handler time limit and tracing for the type's messages
 */
public record DomainTopic(DomainType type, String topic, int partitions, short replicationFactor, long retentionMs,
                          DomainPolicy policy) {

    /** An inbox with the default policy. */
    public DomainTopic(DomainType type, String topic, int partitions, short replicationFactor, long retentionMs) {
        this(type, topic, partitions, replicationFactor, retentionMs, DomainPolicy.DEFAULT);
    }
}
