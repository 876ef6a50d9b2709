package io.ved.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ved.api.Ved;
import io.ved.api.VedSender;
import io.ved.example.ExampleApp;
import io.ved.example.InventoryDomain;
import io.ved.example.inventory.Restock;
import io.ved.runtime.topology.TopologyFile;
import io.ved.testkit.VedStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances with one standby replica and static membership: each joins the group under its own instance id,
 * and each keeps a copy of every task's state (its active tasks' and, as standby, the other's), so either can take
 * the other's tasks over without restoring them from the changelog.
 */
class StandbyAndStaticMembershipIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void eachInstanceJoinsUnderItsIdAndHoldsEveryTasksState() throws Exception {
        VedStack stack = VedStack.shared();
        TopologyFile unique = TestTopologies.unique(ExampleApp.TOPOLOGY, "standby");
        Path topology = TopologyYaml.write(unique, dir.resolve("example.yaml"));
        stack.createTopics(topology);
        String app = unique.application();
        try (Ved a = stack.start(instance(topology, app + "-a", dir.resolve("a")), WAIT);
             Ved b = stack.start(instance(topology, app + "-b", dir.resolve("b")), WAIT);
             VedSender sender = stack.sender(topology, "/standby-it")) {
            for (int i = 0; i < 12; i++) {
                sender.send(InventoryDomain.ref("S" + i), new Restock("S" + i, 1));
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                await().atMost(WAIT).untilAsserted(() -> assertThat(admin.describeConsumerGroups(java.util.List.of(app)).all()
                        .get(10, TimeUnit.SECONDS).get(app).members().stream().map(MemberDescription::groupInstanceId)
                        .map(id -> id.orElse("(dynamic)")).collect(Collectors.toSet()))
                        .containsExactlyInAnyOrder(app + "-a-1", app + "-b-1"));
            }
            await().atMost(WAIT).untilAsserted(() -> {
                Set<String> inA = taskDirectories(dir.resolve("a"), app);
                Set<String> inB = taskDirectories(dir.resolve("b"), app);
                assertThat(inA).as("both instances hold the same tasks' state: their own and, as standby, the other's").isNotEmpty().isEqualTo(inB);
                assertThat(inA).hasSizeGreaterThanOrEqualTo(unique.widestPartitionCount());
            });
            assertThat(a.isRunning() && b.isRunning()).isTrue();
        }
    }

    @Test
    void aBadInstanceIdOrStandbyCountIsRefusedWhenBuilt() {
        assertThatThrownBy(() -> Ved.builder().instanceId("two words"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without spaces");
        assertThatThrownBy(() -> Ved.builder().standbyReplicas(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be 0 or more");
    }

    private static Ved.Builder instance(Path topology, String id, Path stateDir) {
        return Ved.builder().topologyFile(topology).domains(ExampleApp.domains()).stateDir(stateDir)
                .instanceId(id).standbyReplicas(1);
    }

    /** Kafka Streams keeps a task's state under {@code <state.dir>/<application id>/<task id>}. */
    private static Set<String> taskDirectories(Path stateDir, String application) throws IOException {
        Path root = stateDir.resolve(application);
        if (!Files.isDirectory(root)) {
            return Set.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(name -> name.matches("\\d+_\\d+")).collect(Collectors.toSet());
        }
    }
}
