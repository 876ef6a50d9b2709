package io.ved.tooling.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * A real KRaft cluster on loopback: {@code n} separate {@code kafka.Kafka} processes, each a broker and a voter of
 * the controller quorum, with production-like replication: every topic (Ved's, Kafka Streams' internal ones, the
 * offsets and transaction logs) defaults to replication factor {@code min(3, n)} and {@code min.insync.replicas}
 * {@code min(2, n)}, so one node may die without losing a write or stopping one. Each node is a {@link LocalKafka}
 * whose {@link LocalKafka#kill()} is a real {@code kill -9}; {@link #leaderOf} and {@link #activeController} say
 * which to kill.
 */
public final class LocalCluster implements AutoCloseable {
    private static final String HOST = "127.0.0.1";

    private final List<LocalKafka> nodes;

    private LocalCluster(List<LocalKafka> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /**
     * Formats (on first use) and starts {@code size} nodes under {@code workDir/node-<id>}, and returns once every
     * one is a registered broker.
     *
     * @throws IllegalStateException with the failing node's log tail when one does not come up
     */
    public static LocalCluster start(Path workDir, int size) {
        return start(workDir, size, Map.of(), List.of());
    }

    /** The same, with these broker settings and JVM options on every node besides the cluster's own. */
    public static LocalCluster start(Path workDir, int size, Map<String, String> config, List<String> jvmOptions) {
        return start(workDir, size, config, jvmOptions, nodeId -> List.of());
    }

    /** The same, with these further listeners on each node (by node id, from 1), e.g. for a fault-injecting proxy. */
    public static LocalCluster start(Path workDir, int size, Map<String, String> config, List<String> jvmOptions,
                                     IntFunction<List<LocalKafka.Listener>> listeners) {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, not " + size);
        }
        List<LocalKafka.Builder> builders = new ArrayList<>();
        for (int id = 1; id <= size; id++) {
            builders.add(LocalKafka.builder(workDir.resolve("node-" + id)));
        }
        // Ports first (each node's are fixed once formatted), then the quorum that names them all.
        List<LocalKafka> unconfigured = builders.stream().map(LocalKafka.Builder::build).toList();
        String clusterId = Uuid.randomUuid().toString();
        String quorumBootstrap = unconfigured.stream().map(n -> HOST + ":" + n.controllerPort()).collect(Collectors.joining(","));
        List<String> voters = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            voters.add((i + 1) + "@" + HOST + ":" + unconfigured.get(i).controllerPort() + ":" + Uuid.randomUuid());
        }
        String initialControllers = String.join(",", voters);
        String replication = Integer.toString(Math.min(3, size));
        String minIsr = Integer.toString(Math.min(2, size));
        List<LocalKafka> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            LocalKafka.Builder builder = builders.get(i);
            config.forEach(builder::config);
            jvmOptions.forEach(builder::jvmOption);
            listeners.apply(i + 1).forEach(builder::listener);
            nodes.add(builder
                    .clusterNode(i + 1, clusterId, initialControllers)
                    .config("controller.quorum.bootstrap.servers", quorumBootstrap)
                    .config("default.replication.factor", replication)
                    .config("min.insync.replicas", minIsr)
                    .config("offsets.topic.replication.factor", replication)
                    .config("transaction.state.log.replication.factor", replication)
                    .config("transaction.state.log.min.isr", minIsr)
                    .config("share.coordinator.state.topic.replication.factor", replication)
                    .config("share.coordinator.state.topic.min.isr", minIsr)
                    // a controlled shutdown moves leadership away first; a bounce must not wait long for it
                    .config("controlled.shutdown.enable", "true")
                    .readyTimeout(Duration.ofSeconds(90))
                    .build());
        }
        LocalCluster cluster = new LocalCluster(nodes);
        try {
            nodes.forEach(LocalKafka::launch);
            nodes.forEach(LocalKafka::awaitReady);
        } catch (RuntimeException e) {
            nodes.forEach(LocalKafka::kill);
            throw e;
        }
        return cluster;
    }

    /** Every node's client address, joined with commas: any one of them is enough for a client. */
    public String bootstrapServers() {
        return nodes.stream().map(LocalKafka::bootstrapServers).collect(Collectors.joining(","));
    }

    /** The nodes, in node id order (node {@code i} at index {@code i - 1}). */
    public List<LocalKafka> nodes() {
        return nodes;
    }

    /** The node with this id. */
    public LocalKafka node(int nodeId) {
        return nodes.get(nodeId - 1);
    }

    /** The node leading the partition now, if it has a leader. */
    public Optional<LocalKafka> leaderOf(TopicPartition partition) {
        try (Admin admin = admin()) {
            TopicDescription topic = admin.describeTopics(List.of(partition.topic())).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(partition.topic());
            Node leader = topic.partitions().get(partition.partition()).leader();
            return leader == null || leader.isEmpty() ? Optional.empty() : Optional.of(node(leader.id()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot find the leader of " + partition + ": " + e.getMessage(), e);
        }
    }

    /** The node that is the active controller now. */
    public LocalKafka activeController() {
        try (Admin admin = admin()) {
            return node(admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId());
        } catch (Exception e) {
            throw new IllegalStateException("cannot find the active controller: " + e.getMessage(), e);
        }
    }

    /** Lets every node outlive this JVM (for {@code ved up}); returns their process ids in node order. */
    public List<Long> detach() {
        return nodes.stream().map(LocalKafka::detach).toList();
    }

    /**
     * Stops every node gracefully, all at once: stopped one after another, the last ones would lose their quorum
     * and wait out their stop timeout. Their files stay.
     */
    @Override
    public void close() {
        List<Thread> stopping = nodes.stream().map(n -> Thread.ofPlatform().name("stop-node-" + n.nodeId()).start(n::close)).toList();
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                nodes.forEach(LocalKafka::kill);
                return;
            }
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }
}
