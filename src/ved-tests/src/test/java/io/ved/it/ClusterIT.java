package io.ved.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ved.api.Ved;
import io.ved.api.VedSender;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.registry.HttpSchemaRegistry;
import io.ved.example.ExampleApp;
import io.ved.example.InventoryDomain;
import io.ved.example.inventory.InventoryState;
import io.ved.example.inventory.Restock;
import io.ved.runtime.InternalTopics;
import io.ved.runtime.StateReader;
import io.ved.runtime.TopicPlan;
import io.ved.runtime.TopicSpec;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileReader;
import io.ved.tooling.stack.LocalCluster;
import io.ved.tooling.stack.LocalKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import io.ved.testkit.Brokers;
import io.ved.testkit.VedStack;
import io.ved.testkit.VedStackExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ved on a replicated cluster: three KRaft nodes in their own processes, replication factor 3 and
 * {@code min.insync.replicas} 2. The node leading an inbox partition is killed with {@code kill -9} while messages
 * flow, and brought back; every message is applied exactly once, and no transaction is left hanging (each
 * partition's last stable offset equals its high watermark). The cluster is the test kit's ({@code @Brokers(3)}), as a
 * user's test would get it.
 */
@ExtendWith(VedStackExtension.class)
class ClusterIT {
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final int ITEMS = 12;
    private static final int MESSAGES = 240;

    @TempDir
    Path dir;

    @Test
    void everyMessageIsAppliedOnceWhenAnInboxLeaderIsKilled(@Brokers(3) VedStack stack) throws Exception {
        assertThatThrownBy(stack::broker).hasMessageContaining("use cluster()");
        assertThat(stack.registryUrl()).as("every stack of the run shares one registry").isEqualTo(VedStack.shared(1).registryUrl());
        String registry = stack.registryUrl();
        LocalCluster cluster = stack.cluster();
        assertThat(cluster.nodes()).hasSize(3);
        String app = "cluster-it-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet();
        Path topologyPath = Files.writeString(dir.resolve("cluster.yaml"), """
                application: %s
                defaults:
                  partitions: 3
                  replicationFactor: 3
                domains:
                  - type: BillingDomain
                    topic: %s.billing
                  - type: InventoryDomain
                    topic: %s.inventory
                """.formatted(app, app, app));
        TopologyFile topology = TopologyFileReader.read(topologyPath);
        String inbox = topology.require(InventoryDomain.TYPE).topic();

        try (Admin admin = admin(cluster)) {
            InternalTopics.createMissing(admin, TopicPlan.topicsToCreate(topology).stream().map(TopicSpec::toNewTopic).toList(),
                    Duration.ofSeconds(60));
        }
        Map<String, Integer> expected = new HashMap<>();
        try (Ved ved = Ved.builder().topologyFile(topologyPath).domains(ExampleApp.domains())
                .bootstrapServers(cluster.bootstrapServers()).schemaRegistry(registry).stateDir(dir.resolve("state")).build();
             VedSender sender = VedSender.connect(cluster.bootstrapServers(), registry, topologyPath, "/cluster-it")) {
            ved.start();
            assertThat(ved.awaitRunning(Duration.ofSeconds(120))).as("the application runs on the cluster").isTrue();
            LocalKafka killed = null;
            for (int i = 0; i < MESSAGES; i++) {
                String item = "C" + (i % ITEMS);
                int qty = 1 + i % 5;
                sender.send(InventoryDomain.ref(item), new Restock(item, qty));
                expected.merge(item, qty, Integer::sum);
                if (i == MESSAGES / 3) {
                    killed = cluster.leaderOf(new TopicPartition(inbox, 0)).orElseThrow();
                    killed.kill();
                }
                if (i == 2 * MESSAGES / 3) {
                    killed.start();
                }
            }
            StateReader states = new StateReader(cluster.bootstrapServers(), new MessageCodec(new HttpSchemaRegistry(registry)));
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                Map<String, InventoryState> now = states.states(topology, InventoryDomain.definition(), Duration.ofSeconds(30));
                assertThat(now).hasSize(ITEMS);
                expected.forEach((item, qty) -> assertThat(now.get(item).getOnHand()).as(item).isEqualTo(qty));
            });
        }
        try (Admin admin = admin(cluster)) {
            String changelog = StateReader.changelogTopic(topology, InventoryDomain.definition());
            assertThat(admin.describeTopics(List.of(changelog)).allTopicNames().get().get(changelog).partitions())
                    .as("Kafka Streams' changelog takes the cluster's replication factor")
                    .allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            for (String topic : List.of(inbox, changelog, topology.require(io.ved.example.BillingDomain.TYPE).topic())) {
                assertNoHangingTransaction(admin, topic);
            }
        }
    }

    /** Once all is handled, a read_committed reader reaches the end: no open transaction holds a partition back. */
    private static void assertNoHangingTransaction(Admin admin, String topic) throws Exception {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<TopicPartition, ListOffsetsResultInfo> stable = admin.listOffsets(latest,
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
            Map<TopicPartition, ListOffsetsResultInfo> high = admin.listOffsets(latest,
                    new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get();
            high.forEach((tp, hw) -> assertThat(stable.get(tp).offset()).as("last stable offset of " + tp).isEqualTo(hw.offset()));
        });
    }

    private static Admin admin(LocalCluster cluster) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }
}
