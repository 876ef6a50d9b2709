package io.ved.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ved.cli.VedCli;
import io.ved.example.ExampleApp;
import io.ved.runtime.VedRuntime;
import io.ved.runtime.topology.TopologyFileException;
import io.ved.runtime.topology.TopologyFileReader;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ved topics apply creates what is missing and reports, without changing, what differs from the topology file. */
class TopicsApplyIT {
    @TempDir
    Path dir;

    @Test
    void createsMissingTopicsThenReportsDriftWithoutTouchingIt() throws Exception {
        RealStack stack = RealStack.get();
        String p = "topics-" + ProcessHandle.current().pid();
        Path file = dir.resolve("topology.yaml");
        Files.writeString(file, """
                application: %1$s-app
                defaults: {partitions: 4, retentionMs: 3600000}
                domains:
                  - {type: BillingDomain, topic: %1$s.billing}
                  - {type: InventoryDomain, topic: %1$s.inventory, partitions: 2}
                """.formatted(p));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(p + ".billing", 3, (short) 1))).all().get();

            String[] apply = {"topics", "apply", "--bootstrap", stack.bootstrap(), "--topology", file.toString()};
            StringWriter out = new StringWriter();
            int exit = run(out, apply);

            assertThat(exit).isEqualTo(3);
            assertThat(out.toString())
                    .containsPattern("CREATED\\s+" + p + "\\.inventory")
                    .containsPattern("DRIFT\\s+" + p + "\\.billing")
                    .contains("has 3 partitions, the topology file says 4")
                    .contains("retention.ms is 604800000, the topology file says 3600000")
                    .contains("Drift found: nothing was changed");
            var described = admin.describeTopics(List.of(p + ".billing", p + ".inventory")).allTopicNames().get();
            assertThat(described.get(p + ".billing").partitions()).as("drift is reported, not fixed").hasSize(3);
            assertThat(described.get(p + ".inventory").partitions()).hasSize(2);
            try (VedRuntime refused = VedRuntime.builder().topology(TopologyFileReader.read(file)).domains(ExampleApp.domains())
                    .bootstrapServers(stack.bootstrap()).schemaRegistry(stack.registryUrl()).stateDir(dir.resolve("state")).build()) {
                assertThatThrownBy(refused::start).as("the application does not start on an inbox whose partition count changed")
                        .isInstanceOf(TopologyFileException.class)
                        .hasMessageContaining("BillingDomain: inbox " + p + ".billing has 3 partitions, the topology file says 4")
                        .hasMessageContaining("ved state export");
                assertThat(refused.isRunning()).isFalse();
            }
            var config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, p + ".inventory")))
                    .all().get().values().iterator().next();
            assertThat(config.get("retention.ms").value()).isEqualTo("3600000");
            assertThat(admin.listTopics().names().get()).contains(p + "-app.deadletters", p + "-app.replies");

            admin.deleteTopics(List.of(p + ".billing")).all().get();
            awaitGone(admin, p + ".billing");
            StringWriter again = new StringWriter();
            assertThat(run(again, apply)).isZero();
            assertThat(again.toString()).contains("All topics match the topology file.");
        }
    }

    @Test
    void setsTheTopologyFilesCompatibilityLevelsReportsDriftAndTheApplicationAppliesThemAtStart() throws Exception {
        RealStack stack = RealStack.get();
        String p = "compat-" + ProcessHandle.current().pid();
        Path file = dir.resolve("compat.yaml");
        Files.writeString(file, """
                application: %1$s-app
                defaults: {partitions: 1, compatibility: FULL_TRANSITIVE}
                domains:
                  - {type: FlakyDomain, topic: %1$s.flaky}
                """.formatted(p));
        String[] apply = {"topics", "apply", "--bootstrap", stack.bootstrap(), "--registry", stack.registryUrl(),
                "--topology", file.toString(), "--domains", io.ved.testdomains.FlakyDomain.class.getName()};
        try (var registry = new io.ved.envelope.registry.HttpSchemaRegistry(stack.registryUrl())) {
            StringWriter first = new StringWriter();
            assertThat(run(first, apply)).as(first.toString()).isZero();
            assertThat(first.toString()).containsPattern("set\\s+io.ved.testdomains.Flaky: compatibility FULL_TRANSITIVE")
                    .containsPattern("set\\s+io.ved.testdomains.LedgerState: compatibility FULL_TRANSITIVE");
            assertThat(registry.compatibility("io.ved.testdomains.Flaky")).contains("FULL_TRANSITIVE");

            StringWriter second = new StringWriter();
            assertThat(run(second, apply)).isZero();
            assertThat(second.toString()).containsPattern("ok\\s+io.ved.testdomains.Flaky: compatibility FULL_TRANSITIVE");

            registry.setCompatibility("io.ved.testdomains.Flaky", "FORWARD");
            StringWriter drifted = new StringWriter();
            assertThat(run(drifted, apply)).isEqualTo(3);
            assertThat(drifted.toString()).contains("DRIFT    io.ved.testdomains.Flaky: compatibility FORWARD, the topology file "
                    + "says FULL_TRANSITIVE");
            assertThat(registry.compatibility("io.ved.testdomains.Flaky")).as("drift is reported, not fixed").contains("FORWARD");

            TopologyFile topology = io.ved.runtime.topology.TopologyFileReader.read(file);
            try (RunningApp app = new RunningApp(stack, topology, List.of(io.ved.testdomains.FlakyDomain.flaky()))) {
                app.start(dir.resolve("state"));
                assertThat(registry.compatibility("io.ved.testdomains.Flaky")).as("set by the application at start")
                        .contains("FULL_TRANSITIVE");
            }
        }
    }

    private static int run(StringWriter out, String... args) {
        var cli = VedCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        return cli.execute(args);
    }

    private static void awaitGone(Admin admin, String topic) throws Exception {
        for (int i = 0; i < 100 && admin.listTopics().names().get().contains(topic); i++) {
            Thread.sleep(100);
        }
    }
}
