package io.ved.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ved.cli.VedCli;
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
