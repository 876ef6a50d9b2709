package io.ved.runtime;

import io.ved.api.DomainDefinition;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The topics a Ved application needs, derived from its topology file: each domain's inbox, the dead-letter
 * and reply topics, and (checked only, since Kafka Streams creates them) the compacted changelogs of the
 * domain state stores.
 */
public final class TopicPlan {
    /** Dead letters wait for a human: keep them four weeks. */
    static final long DEAD_LETTER_RETENTION_MS = 28L * 24 * 3600 * 1000;

    private TopicPlan() {
    }

    /** Topics to create when missing. */
    public static List<TopicSpec> topicsToCreate(TopologyFile file) {
        List<TopicSpec> specs = new ArrayList<>();
        for (DomainTopic d : file.domains()) {
            specs.add(new TopicSpec(d.topic(), d.partitions(), d.replicationFactor(),
                    Map.of("cleanup.policy", "delete", "retention.ms", Long.toString(d.retentionMs())), "inbox of " + d.type()));
        }
        int width = file.widestPartitionCount();
        short replication = file.highestReplicationFactor();
        specs.add(new TopicSpec(file.deadLetterTopic(), width, replication,
                Map.of("cleanup.policy", "delete", "retention.ms", Long.toString(DEAD_LETTER_RETENTION_MS)), "dead letters"));
        specs.add(new TopicSpec(file.replyTopic(), width, replication,
                Map.of("cleanup.policy", "delete"), "replies to outside senders"));
        specs.add(new TopicSpec(file.traceTopic(), width, replication,
                Map.of("cleanup.policy", "delete"), "trace records"));
        specs.add(new TopicSpec(file.stormTopic(), width, replication,
                Map.of("cleanup.policy", "delete", "retention.ms", Long.toString(DEAD_LETTER_RETENTION_MS)),
                "messages quarantined by storm protection"));
        specs.add(new TopicSpec(file.abandonedTopic(), 1, replication, Map.of("cleanup.policy", "compact"),
                "messages whose handler held a stream thread for good"));
        specs.add(new TopicSpec(file.depthTopic(), 1, replication, Map.of("cleanup.policy", "compact"),
                "messages held back in the runtime's queues, per inbox partition"));
        return specs;
    }

    /** Changelog topics of the local domains' state: Kafka Streams creates them; Ved checks they stay compacted. */
    public static List<TopicSpec> changelogs(TopologyFile file, Collection<? extends DomainDefinition<?>> localDomains) {
        return localDomains.stream().map(d -> new TopicSpec(
                file.application() + "-" + VedTopology.storeName(d) + "-changelog",
                file.require(d.type()).partitions(), file.highestReplicationFactor(),
                Map.of("cleanup.policy", "compact"), "state changelog of " + d.type())).toList();
    }
}
