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
import io.ved.tooling.stack.EmbeddedKafka;
import io.ved.tooling.verify.VerifyReport;
import io.ved.tooling.verify.VerifySettings;
import io.ved.tooling.verify.Verifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ved on a secured broker: a SASL_PLAINTEXT listener on loopback (SCRAM-SHA-512 for the application, PLAIN for the
 * admin), KRaft's {@code StandardAuthorizer} with {@code allow.everyone.if.no.acl.found=false}. With exactly the ACLs
 * of {@code ved acls apply} the example runs end to end; without WRITE on its inventory inbox it refuses to start
 * with one line naming that ACL; wrong credentials and no credentials are refused; no secret is ever printed.
 */
class SaslAclIT {
    private static final String ADMIN_SECRET = "admin-secret-7d1";
    private static final String APP_SECRET = "app-secret-93f";
    private static final String APP = "User:orders-app";

    @TempDir
    Path dir;

    @Test
    void theExampleRunsWithItsGeneratedAclsAndNothingElseGetsIn() throws Exception {
        Map<String, Object> admin = sasl("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" "
                + "password=\"" + ADMIN_SECRET + "\";");
        EmbeddedKafka.Builder secured = EmbeddedKafka.builder()
                .config("listener.security.protocol.map", "PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT")
                .config("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512")
                .config("sasl.mechanism.inter.broker.protocol", "PLAIN")
                .config("listener.name.plaintext.plain.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule "
                        + "required username=\"admin\" password=\"" + ADMIN_SECRET + "\" user_admin=\"" + ADMIN_SECRET + "\";")
                .config("listener.name.plaintext.scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .config("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .config("allow.everyone.if.no.acl.found", "false")
                // the broker's own link to its controller is the plaintext controller listener (no client reaches it)
                .config("super.users", "User:admin;User:ANONYMOUS");
        admin.forEach(secured::readyClientConfig);
        String registry = VedStack.shared().registryUrl();
        try (EmbeddedKafka kafka = secured.start(); Admin root = admin(kafka, admin)) {
            root.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("orders-app",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), APP_SECRET))).all().get(30, TimeUnit.SECONDS);
            Map<String, Object> app = sasl("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                    + "username=\"orders-app\" password=\"" + APP_SECRET + "\";");
            Path adminConfig = properties("admin.properties", admin);
            Path appConfig = properties("app.properties", app);
            TopologyFile topology = TestTopologies.unique(ExampleApp.TOPOLOGY, "sasl");
            Path file = TopologyYaml.write(topology, dir.resolve("sasl.yaml"));
            String inventory = topology.require(InventoryDomain.TYPE).topic();
            String[] where = {"--topology", file.toString(), "--bootstrap", kafka.bootstrapServers(), "--registry", registry};

            CliRun topics = cli(where, "topics", "apply", "--command-config", adminConfig.toString());
            assertThat(topics.exit()).as(topics.toString()).isZero();
            CliRun plan = CliRun.of("acls", "--principal", APP, "--topology", file.toString());
            assertThat(plan.exit()).as(plan.toString()).isZero();
            assertThat(plan.out()).contains("ALLOW " + APP + " READ TOPIC " + inventory + " (LITERAL) from *")
                    .contains("ALLOW " + APP + " WRITE TRANSACTIONAL_ID " + topology.application() + " (PREFIXED) from *");
            CliRun applied = cli(where, "acls", "apply", "--principal", APP, "--command-config", adminConfig.toString());
            assertThat(applied.exit()).as(applied.toString()).isZero();
            assertThat(applied.out()).contains("+ ALLOW " + APP + " WRITE TOPIC " + inventory).containsPattern("Created \\d+, kept 0\\.");
            CliRun again = cli(where, "acls", "apply", "--principal", APP, "--dry-run", "--command-config", adminConfig.toString());
            assertThat(again.out()).contains("= ALLOW " + APP + " WRITE TOPIC " + inventory).contains("Would create 0");

            // without WRITE on its inventory inbox the application does not start, and says which ACL it lacks
            root.deleteAcls(List.of(new AclBindingFilter(new ResourcePatternFilter(ResourceType.TOPIC, inventory, PatternType.LITERAL),
                    new AccessControlEntryFilter(APP, "*", AclOperation.WRITE, AclPermissionType.ALLOW)))).all().get(30, TimeUnit.SECONDS);
            CliRun creating = cli(where, "run", "--command-config", appConfig.toString(), "--state-dir", dir.resolve("refused").toString());
            assertThat(creating.exit()).isNotZero();
            assertThat(creating.err()).startsWith("ved: this principal may not create or describe the topology's topics")
                    .contains("--no-create-topics").doesNotContain("\tat ");
            CliRun refused = cli(where, "run", "--no-create-topics", "--command-config", appConfig.toString(),
                    "--state-dir", dir.resolve("refused").toString());
            assertThat(refused.exit()).as(refused.toString()).isNotZero();
            assertThat(refused.err().lines().findFirst().orElseThrow()).contains("lacks the ACLs WRITE on topic " + inventory)
                    .contains("ved acls apply --principal");
            assertThat(refused.err()).doesNotContain("\tat ");
            CliRun restored = cli(where, "acls", "apply", "--principal", APP, "--command-config", adminConfig.toString());
            assertThat(restored.out()).contains("Created 1,");

            try (Ved ved = Ved.builder().topologyFile(file).domains(ExampleApp.domains()).bootstrapServers(kafka.bootstrapServers())
                    .schemaRegistry(registry).clientConfig(appConfig).stateDir(dir.resolve("state")).stateEndpoint("127.0.0.1", 0).build();
                 VedSender sender = VedSender.connect(kafka.bootstrapServers(), registry, file, "/sasl-it", admin)) {
                ved.start();
                assertThat(ved.awaitRunning(Duration.ofSeconds(90))).as("the application runs with its ACLs only").isTrue();
                sender.send(InventoryDomain.ref("SEC-1"), new Restock("SEC-1", 5));
                CliRun sent = cli(where, "send", "--command-config", adminConfig.toString(), "InventoryDomain[SEC-1] Restock(item_id: \"SEC-1\", qty: 2)");
                assertThat(sent.exit()).as(sent.toString()).isZero();
                assertThat(sent.out() + sent.err()).doesNotContain(ADMIN_SECRET);
                CliRun held = cli(where, "send", "--command-config", adminConfig.toString(), "--high-water", "1000",
                        "InventoryDomain[SEC-9] Restock(item_id: \"SEC-9\", qty: 1)");
                assertThat(held.exit()).as("backpressure samples the secured group's lag: " + held).isZero();
                String state = "http://127.0.0.1:" + ved.stateEndpoint().orElseThrow().getPort() + "/state/InventoryDomain/SEC-1";
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                    HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(state)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(answer.statusCode()).isEqualTo(200);
                    assertThat(answer.body()).containsPattern("\"on_hand\"\\s*:\\s*7\\b");
                });
                // the inspection tools read the secured topics with --command-config too
                String asAdmin = "--command-config=" + adminConfig;
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    CliRun read = cli(where, "state", asAdmin, "--changelog", "InventoryDomain[SEC-1]");
                    assertThat(read.exit()).as(read.toString()).isZero();
                    assertThat(read.out()).containsPattern("\"on_hand\"\\s*:\\s*7\\b");
                });
                CliRun dlq = cli(where, "dlq", "list", asAdmin);
                assertThat(dlq.exit()).as(dlq.toString()).isZero();
                CliRun storms = cli(where, "storms", asAdmin);
                assertThat(storms.exit()).as(storms.toString()).isZero();
                for (CliRun run : List.of(dlq, storms)) {
                    assertThat(run.out() + run.err()).doesNotContain(ADMIN_SECRET);
                }
            }

            // the verifier on the secured broker: its own clients and its 'ved run' processes take the file too
            VerifySettings verify = VerifySettings.builder(dir.resolve("verify")).messages(300).processes(1).kills(1).poison(1)
                    .duration(Duration.ofSeconds(12)).seed(7).bootstrap(java.util.Optional.of(kafka.bootstrapServers()))
                    .registry(java.util.Optional.of(registry)).clientConfig(java.util.Optional.of(adminConfig))
                    .catchUp(Duration.ofMinutes(2)).build();
            io.ved.runtime.ToolClients.use(admin);
            java.io.StringWriter verifyOut = new java.io.StringWriter();
            VerifyReport report;
            try {
                report = new Verifier(verify, new java.io.PrintWriter(verifyOut, true)).run();
            } finally {
                io.ved.runtime.ToolClients.use(Map.of());
            }
            assertThat(report.passed()).as(verifyOut.toString()).isTrue();
            assertThat(report.lost() + report.duplicated() + report.outOfOrder()).isZero();
            assertThat(verifyOut.toString()).doesNotContain(ADMIN_SECRET);

            Path wrong = properties("wrong.properties", sasl("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule "
                    + "required username=\"orders-app\" password=\"not-" + APP_SECRET + "\";"));
            CliRun denied = cli(where, "topics", "apply", "--command-config", wrong.toString());
            assertThat(denied.exit()).isNotZero();
            assertThat(denied.err()).contains("refused the credentials").doesNotContain("\tat ");
            try (Admin anonymous = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000))) {
                assertThatThrownBy(() -> anonymous.listTopics().names().get(10, TimeUnit.SECONDS))
                        .as("a client without credentials is refused").isNotNull();
            }
            for (CliRun run : List.of(topics, plan, applied, again, creating, refused, restored, denied)) {
                assertThat(run.out() + run.err()).as("no secret in ved's output").doesNotContain(ADMIN_SECRET).doesNotContain(APP_SECRET);
            }
        }
    }

    private static CliRun cli(String[] where, String... command) {
        String[] args = new String[command.length + where.length];
        System.arraycopy(command, 0, args, 0, command.length);
        System.arraycopy(where, 0, args, command.length, where.length);
        return CliRun.of(args);
    }

    private static Map<String, Object> sasl(String mechanism, String jaas) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", mechanism, "sasl.jaas.config", jaas);
    }

    private Path properties(String name, Map<String, Object> settings) throws Exception {
        StringBuilder text = new StringBuilder();
        settings.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return Files.writeString(dir.resolve(name), text);
    }

    private static Admin admin(EmbeddedKafka kafka, Map<String, Object> security) {
        Map<String, Object> config = new java.util.HashMap<>(security);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return Admin.create(config);
    }
}
