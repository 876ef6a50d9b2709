package io.ved.runtime.topology;

import io.ved.api.DomainType;

/**
 * The inbox topic of one domain type. Its partition count bounds how many app instances share the type's work.
 *
 * @param retentionMs how long inbox messages are kept (-1: for ever); replay reads as far back as this
 */
public record DomainTopic(DomainType type, String topic, int partitions, short replicationFactor, long retentionMs) {
}
