package io.ved.tooling.topics;

import java.util.Map;

/** A topic as the topology file wants it: partitions, replication and the configs Ved cares about. */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs, String role) {
    public TopicSpec {
        configs = Map.copyOf(configs);
    }
}
