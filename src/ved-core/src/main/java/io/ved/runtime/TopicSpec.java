package io.ved.runtime;

import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A topic as the topology file wants it: partitions, replication and the configs Ved cares about. The one
 * description the runtime (its internal topics), {@code ved topics apply} and the test kit's stack all create from.
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs, String role) {
    public TopicSpec {
        configs = Map.copyOf(configs);
    }

    /** The request that creates it. */
    public NewTopic toNewTopic() {
        return new NewTopic(name, partitions, replicationFactor).configs(configs);
    }
}
