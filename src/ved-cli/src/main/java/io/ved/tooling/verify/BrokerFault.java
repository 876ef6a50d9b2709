package io.ved.tooling.verify;

import io.ved.tooling.stack.LocalCluster;
import io.ved.tooling.stack.LocalKafka;
import org.apache.kafka.common.TopicPartition;

/** Which Kafka node a broker fault hits. */
interface BrokerFault {

    /** A node to hit, and what it is, e.g. {@code node 2 (pid 123, leader of account.inbox-0)}. */
    record Target(LocalKafka node, String description) {
    }

    /** The node the next fault of this kind (one of {@link FaultKind#onBroker()}) hits. */
    Target next(FaultKind kind);

    /** The single broker of the run. */
    static BrokerFault of(LocalKafka kafka) {
        return kind -> new Target(kafka, "the broker (pid " + kafka.pid() + ")");
    }

    /**
     * A node of the cluster: a kill -9 hits, in turn, the leader of the account inbox's partition 0 (its followers
     * must take over with no committed write lost) and the active controller (the quorum must elect another); a
     * pause or a bounce hits that partition's leader.
     */
    static BrokerFault of(LocalCluster cluster, TopicPartition inboxPartition) {
        return new BrokerFault() {
            private int kills;

            @Override
            public Target next(FaultKind kind) {
                boolean leader = kind != FaultKind.BROKER_KILL || kills++ % 2 == 0;
                LocalKafka node = leader ? cluster.leaderOf(inboxPartition).orElseGet(cluster::activeController)
                        : cluster.activeController();
                return new Target(node, "node " + node.nodeId() + " (pid " + node.pid() + ", "
                        + (leader ? "leader of " + inboxPartition : "the active controller") + ")");
            }
        };
    }
}
