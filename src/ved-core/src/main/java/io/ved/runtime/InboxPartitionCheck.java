package io.ved.runtime;

import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFileException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Refuses to start when an existing inbox's partition count differs from the topology file's. A domain id's
 * partition is its key's hash modulo the count, so a changed count sends an id's new messages to another partition,
 * and so to another task, whose store does not hold the id's state: the instance would silently start over with a
 * second state. The way to a new count is a migration to a new application (export, then import).
 */
final class InboxPartitionCheck {
    private InboxPartitionCheck() {
    }

    /**
     * @param inboxes  the local domains' inboxes, as the topology file declares them
     * @param onBroker the partition count of each inbox that exists on the broker; a missing inbox is not checked
     * @throws TopologyFileException naming each inbox whose count changed, both counts and the way out
     */
    static void require(Collection<DomainTopic> inboxes, Map<String, Integer> onBroker) {
        List<String> changed = new ArrayList<>();
        for (DomainTopic inbox : inboxes) {
            Integer actual = onBroker.get(inbox.topic());
            if (actual != null && actual != inbox.partitions()) {
                changed.add(inbox.type() + ": inbox " + inbox.topic() + " has " + actual + " partitions, the topology file says "
                        + inbox.partitions() + "; a new count moves domain ids to other partitions, where their state is not, so "
                        + "an instance would get a second state. Keep 'partitions: " + actual + "', or migrate to a new "
                        + "application with 'ved state export' and 'ved state import' (docs/UPGRADES.md)");
            }
        }
        if (!changed.isEmpty()) {
            throw new TopologyFileException(String.join("\n", changed));
        }
    }
}
