package io.ved.runtime.topology;

import io.ved.api.DomainType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The deployment side of a Ved application, read from a YAML file in {@code topology/}: which domain
 * types exist, the inbox topic of each and how it is partitioned, replicated and retained, and the topics
 * for dead letters, for replies to senders outside Ved, for trace records and for messages quarantined by
 * storm protection. Domain types listed here but not registered in
 * code are run by another application: this one can still send to them.
 */
public record TopologyFile(
        String application,
        String deadLetterTopic,
        String replyTopic,
        String traceTopic,
        String stormTopic,
        List<DomainTopic> domains) {

    public TopologyFile {
        domains = List.copyOf(domains);
    }

    /** A topology whose trace topic is named after the application. */
    public TopologyFile(String application, String deadLetterTopic, String replyTopic, List<DomainTopic> domains) {
        this(application, deadLetterTopic, replyTopic, application + ".trace", application + ".storms", domains);
    }

    public Optional<DomainTopic> domain(DomainType type) {
        return domains.stream().filter(d -> d.type().equals(type)).findFirst();
    }

    public DomainTopic require(DomainType type) {
        return domain(type).orElseThrow(() -> new TopologyFileException("domain type " + type
                + " is not in the topology file; known types: " + typeNames()));
    }

    public Map<DomainType, DomainTopic> byType() {
        return domains.stream().collect(Collectors.toMap(DomainTopic::type, Function.identity()));
    }

    public List<String> typeNames() {
        return domains.stream().map(d -> d.type().name()).toList();
    }

    /** Settings of the dead-letter and reply topics: as wide as the widest inbox, so they never bottleneck. */
    public int widestPartitionCount() {
        return domains.stream().mapToInt(DomainTopic::partitions).max().orElse(1);
    }

    public short highestReplicationFactor() {
        return (short) domains.stream().mapToInt(DomainTopic::replicationFactor).max().orElse(1);
    }

    /**
     * The compacted topic of messages whose handler held a stream thread for good (see
     * {@code io.ved.runtime.handler.AbandonedMessages}): {@code <application>.abandoned}.
     */
    public String abandonedTopic() {
        return application + ".abandoned";
    }

    /**
     * The compacted topic where each inbox partition's task publishes how many messages it holds back in its retry,
     * throttle and held-send queues: {@code <application>.depth}.
     */
    public String depthTopic() {
        return application + ".depth";
    }

    /** The longest handler time limit of any domain type; zero when no type has one. */
    public java.time.Duration longestHandlerTimeout() {
        return domains.stream().map(d -> d.policy().handlerTimeout()).max(java.time.Duration::compareTo)
                .orElse(java.time.Duration.ZERO);
    }
}
