package io.ved.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ved.api.Ved;
import io.ved.api.VedSender;
import io.ved.example.ExampleApp;
import io.ved.example.InventoryDomain;
import io.ved.example.inventory.Restock;
import io.ved.runtime.topology.TopologyFile;
import io.ved.testkit.VedStack;
import io.ved.testkit.VedStackChoice;
import io.ved.testkit.VedStackExtension;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's integration test as the test kit's JUnit extension gives it: the shared real stack as a parameter, an
 * application started on it, a sender, and read_committed reading of what was committed.
 */
@ExtendWith(VedStackExtension.class)
class VedStackExtensionIT {
    @TempDir
    Path dir;

    @Test
    void aTestGetsTheRealStackAnApplicationOnItASenderAndCommittedRecords(VedStack stack) throws Exception {
        exampleRoundTrip(stack, dir);
    }

    @Test
    void createTopicsGivesThemTheConfigsTopicsApplyWould(VedStack stack) throws Exception {
        TopologyFile unique = TestTopologies.unique(ExampleApp.TOPOLOGY, "extension-configs");
        stack.createTopics(TopologyYaml.write(unique, dir.resolve("example.yaml")));
        String inbox = unique.require(InventoryDomain.TYPE).topic();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            // the controller has created them; the broker may learn of them a moment later
            Map<String, Config> configs = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> describe(admin, inbox, unique.deadLetterTopic(), unique.abandonedTopic()), c -> c.size() == 3);
            assertThat(configs.get(inbox).get("retention.ms").value()).isEqualTo("604800000");
            assertThat(configs.get(unique.deadLetterTopic()).get("retention.ms").value()).isEqualTo(Long.toString(28L * 24 * 3600 * 1000));
            assertThat(configs.get(unique.abandonedTopic()).get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    private static Map<String, Config> describe(Admin admin, String... topics) throws Exception {
        Map<String, Config> byTopic = new java.util.HashMap<>();
        admin.describeConfigs(java.util.Arrays.stream(topics).map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList())
                .all().get(30, java.util.concurrent.TimeUnit.SECONDS).forEach((resource, config) -> byTopic.put(resource.name(), config));
        return byTopic;
    }

    /** The example's integration test: topics, the application, one message sent and read back committed. */
    static void exampleRoundTrip(VedStack stack, Path dir) throws Exception {
        TopologyFile unique = TestTopologies.unique(ExampleApp.TOPOLOGY, "extension");
        Path topology = TopologyYaml.write(unique, dir.resolve("example.yaml"));
        stack.createTopics(topology);
        try (Ved app = stack.start(Ved.builder().topologyFile(topology).domains(ExampleApp.domains())
                        .stateDir(dir.resolve("state")), Duration.ofSeconds(90));
             VedSender sender = stack.sender(topology, "/extension-it")) {
            sender.send(InventoryDomain.ref("EXT-1"), new Restock("EXT-1", 3));

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                    stack.readCommitted(unique.require(InventoryDomain.TYPE).topic(), Duration.ofSeconds(10)))
                    .anySatisfy(r -> assertThat(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("EXT-1")));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                    stack.stateOf(topology, InventoryDomain.definition(), "EXT-1", Duration.ofSeconds(10)))
                    .hasValueSatisfying(state -> assertThat(state.getOnHand()).isEqualTo(3)));
            assertThat(app.isRunning()).isTrue();
        }
    }

    @Test
    void theTestcontainersStackFallsBackToTheEmbeddedOneWithOneLine() {
        assertThat(VedStackChoice.message("embedded", true, true)).isEmpty();
        assertThat(VedStackChoice.containers("embedded", true, true)).isFalse();
        assertThat(VedStackChoice.containers("testcontainers", false, false)).isFalse();
        assertThat(VedStackChoice.message("testcontainers", false, false)).get().asString()
                .contains("needs org.testcontainers:kafka on the test classpath").contains("running the embedded stack");
        assertThat(VedStackChoice.containers("testcontainers", true, false)).isFalse();
        assertThat(VedStackChoice.message("testcontainers", true, false)).get().asString()
                .contains("no Docker engine is reachable here").contains("running the embedded stack instead");
        assertThat(VedStackChoice.containers("testcontainers", true, true)).isTrue();
        assertThat(VedStackChoice.message("testcontainers", true, true)).get().asString()
                .contains("apache/kafka:4.4.0").contains("apicurio/apicurio-registry:3.3.3");
        assertThat(VedStackChoice.containers("kubernetes", true, true)).isFalse();
        assertThat(VedStackChoice.message("kubernetes", true, true)).get().asString()
                .contains("is not a stack (embedded, testcontainers)");
    }
}
