package io.ved.tooling.verify;

import io.ved.tooling.stack.LocalCluster;
import io.ved.tooling.stack.LocalKafka;
import org.apache.kafka.common.TopicPartition;

/** The broker fault the chaos injects: which Kafka node is killed with kill -9, and bringing it back on its data. */
interface BrokerFault {

    /** Kills a node and says which, e.g. {@code the broker (pid 123)}. */
    String kill();

    /** Starts the killed node again on the same data and waits until it is a broker again. */
    void restart();

    /** The single broker of the run. */
    static BrokerFault of(LocalKafka kafka) {
        return new BrokerFault() {
            @Override
            public String kill() {
                String which = "the broker (pid " + kafka.pid() + ")";
                kafka.kill();
                return which;
            }

            @Override
            public void restart() {
                kafka.start();
            }
        };
    }

    /**
     * A node of the cluster: in turn, the leader of the account inbox's partition 0 (its followers must take over
     * with no committed write lost) and the active controller (the quorum must elect another).
     */
    static BrokerFault of(LocalCluster cluster, TopicPartition inboxPartition) {
        return new BrokerFault() {
            private int faults;
            private LocalKafka killed;

            @Override
            public String kill() {
                boolean leader = faults++ % 2 == 0;
                killed = leader ? cluster.leaderOf(inboxPartition).orElseGet(cluster::activeController) : cluster.activeController();
                String which = "node " + killed.nodeId() + " (pid " + killed.pid() + ", "
                        + (leader ? "leader of " + inboxPartition : "the active controller") + ")";
                killed.kill();
                return which;
            }

            @Override
            public void restart() {
                killed.start();
            }
        };
    }
}
