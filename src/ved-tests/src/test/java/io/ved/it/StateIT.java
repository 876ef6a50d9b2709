package io.ved.it;

import io.ved.runtime.VedRuntime;
import io.ved.runtime.KafkaVedSender;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ved.api.VedSender;
import io.ved.cli.VedCli;
import io.ved.envelope.AvroJson;
import io.ved.example.ExampleApp;
import io.ved.example.InventoryDomain;
import io.ved.example.inventory.InventoryState;
import io.ved.example.inventory.Restock;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileReader;
import io.ved.tooling.state.EndpointRegistry;
import io.ved.tooling.state.StateClient;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ved state on a real broker: two instances of the application, each with its state endpoint, answer for every
 * key (forwarding to the one that hosts it); the CLI finds the endpoint a running 'ved run' registered; --lag
 * needs only the broker.
 */
class StateIT {
    private static final int ITEMS = 24;

    @TempDir
    Path dir;

    @Test
    void eitherInstanceAnswersForEveryKeyAndTheCliFindsThem() throws Exception {
        RealStack stack = RealStack.get();
        Path topologyFile = OrderScenario.writeTopology(dir, "state");
        TopologyFile topology = TopologyFileReader.read(topologyFile);
        String[] common = {"--bootstrap", stack.bootstrap(), "--registry", stack.registryUrl(), "--topology", topologyFile.toString()};
        try (RunningApp app = new RunningApp(stack, topology, ExampleApp.domains());
             VedSender sender = KafkaVedSender.connect(stack.bootstrap(), app.registry(), topology, "/state-it");
             VedRuntime a = instance(stack, topology, dir.resolve("a"));
             VedRuntime b = instance(stack, topology, dir.resolve("b"))) {
            a.start();
            b.start();
            assertThat(a.awaitRunning(RunningApp.WAIT)).isTrue();
            assertThat(b.awaitRunning(RunningApp.WAIT)).isTrue();
            for (int i = 0; i < ITEMS; i++) {
                sender.send(InventoryDomain.ref("I" + i), new Restock("I" + i, i + 1));
            }
            app.awaitQuiet();
            awaitStable(a, b);

            String atA = address(a);
            String atB = address(b);
            Set<String> answeredBy = new HashSet<>();
            StateClient client = new StateClient();
            for (int i = 0; i < ITEMS; i++) {
                StateClient.Answer answer = client.fetch(atA, InventoryDomain.ref("I" + i), false);
                assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                InventoryState state = AvroJson.parse(answer.body(), InventoryState.class);
                assertThat(state.getOnHand()).isEqualTo(i + 1);
                answeredBy.add(answer.answeredBy().orElseThrow());
            }
            assertThat(answeredBy).as("instance a answered itself and forwarded to b").containsExactlyInAnyOrder(atA, atB);

            CliRun shown = CliRun.of(concat(new String[]{"state", "InventoryDomain[I4]", "--endpoint", atB}, common));
            assertThat(shown.exit()).as(shown.toString()).isZero();
            assertThat(shown.out()).containsPattern("InventoryDomain\\[I4] \\(answered by 127\\.0\\.0\\.1:\\d+, partition \\d\\):")
                    .contains("\"on_hand\" : 5");

            CliRun json = CliRun.of(concat(new String[]{"state", "InventoryDomain[I4]", "--endpoint", atA, "--json"}, common));
            JsonNode node = new ObjectMapper().readTree(json.out());
            assertThat(node.get("item_id").asText()).isEqualTo("I4");
            CliRun avro = CliRun.of(concat(new String[]{"state", "InventoryDomain[I4]", "--endpoint", atA, "--avro-json"}, common));
            assertThat(AvroJson.parse(avro.out(), InventoryState.class).getOnHand()).isEqualTo(5);

            CliRun fromChangelog = CliRun.of(concat(new String[]{"state", "InventoryDomain[I4]", "--changelog"}, common));
            assertThat(fromChangelog.exit()).as(fromChangelog.toString()).isZero();
            assertThat(fromChangelog.out()).contains("-InventoryDomain-state-changelog partition").contains("\"on_hand\" : 5");

            CliRun none = CliRun.of(concat(new String[]{"state", "InventoryDomain[nobody]", "--endpoint", atA}, common));
            assertThat(none.exit()).isEqualTo(VedCli.USAGE_ERROR);
            assertThat(none.err()).isEqualTo("ved: InventoryDomain[nobody] has no state: it has handled no message\n");

            CliRun type = CliRun.of(concat(new String[]{"state", "WarehouseDomain[1]", "--endpoint", atA}, common));
            assertThat(type.exit()).isEqualTo(VedCli.USAGE_ERROR);
            assertThat(type.err()).contains("unknown domain type WarehouseDomain");

            CliRun lag = CliRun.of(concat(new String[]{"state", "--lag"}, common));
            assertThat(lag.exit()).as(lag.toString()).isZero();
            assertThat(lag.out()).contains("Mailbox lag of " + topology.application())
                    .contains("InventoryDomain (" + topology.require(InventoryDomain.TYPE).topic() + "): 0 waiting")
                    .contains("BillingDomain (").containsPattern("partition\\s+0\\s+1\\s+2\\s+3\\s+4\\s+5")
                    .containsPattern("lag\\s+0\\s+0\\s+0\\s+0\\s+0\\s+0");
        }
    }

    @Test
    void theCliFindsTheEndpointThatVedRunRegisteredAndIgnoresStaleOnes() throws Exception {
        RealStack stack = RealStack.get();
        Path topologyFile = OrderScenario.writeTopology(dir, "state-run");
        TopologyFile topology = TopologyFileReader.read(topologyFile);
        String[] common = {"--bootstrap", stack.bootstrap(), "--registry", stack.registryUrl(), "--topology", topologyFile.toString()};
        Path home = Files.createDirectories(dir.resolve("home"));
        String previousHome = System.getProperty("ved.home");
        System.setProperty("ved.home", home.toString());
        Process run = null;
        try {
            // A registration whose process is gone: ignored.
            Process finished = new ProcessBuilder(javaBin(), "-version").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("java-version.txt").toFile()).start();
            finished.waitFor(30, TimeUnit.SECONDS);
            Files.createDirectories(EndpointRegistry.directory());
            Files.writeString(EndpointRegistry.directory().resolve(topology.application() + "-" + finished.pid()),
                    "{\"application\":\"" + topology.application() + "\",\"pid\":" + finished.pid()
                            + ",\"endpoint\":\"127.0.0.1:1\",\"startedAt\":\"2026-01-01T00:00:00Z\"}");
            CliRun stale = CliRun.of(concat(new String[]{"state", "InventoryDomain[R1]"}, common));
            assertThat(stale.exit()).isEqualTo(VedCli.USAGE_ERROR);
            assertThat(stale.err()).contains("no running instance of " + topology.application() + " has registered a state endpoint");

            run = new ProcessBuilder(concat(new String[]{javaBin(), "-cp", System.getProperty("java.class.path"),
                    "-Dved.home=" + home, "io.ved.cli.VedCli", "run", "--state-dir", dir.resolve("run-state").toString(),
                    "--query-port", "0"}, common))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("ved-run.log").toFile()).start();
            Path registered = awaitRegistration(topology.application(), run.pid());
            try (VedSender sender = VedSender.connect(stack.bootstrap(), stack.registryUrl(), topologyFile, "/state-it")) {
                sender.send(InventoryDomain.ref("R1"), new Restock("R1", 42));
            }
            CliRun shown = awaitState(concat(new String[]{"state", "InventoryDomain[R1]"}, common));
            assertThat(shown.out()).contains("\"on_hand\" : 42");

            run.destroy(); // SIGTERM: the shutdown hook stops the application and removes the registration
            assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("ved run stopped").isTrue();
            assertThat(registered).doesNotExist();
            assertThat(Files.readString(dir.resolve("ved-run.log"))).contains("HTTP endpoint: http://127.0.0.1:");
        } finally {
            if (run != null && run.isAlive()) {
                run.destroyForcibly();
            }
            if (previousHome == null) {
                System.clearProperty("ved.home");
            } else {
                System.setProperty("ved.home", previousHome);
            }
        }
    }

    private static Path awaitRegistration(String application, long pid) throws Exception {
        Path file = EndpointRegistry.directory().resolve(application + "-" + pid);
        long deadline = System.nanoTime() + RunningApp.WAIT.toNanos();
        while (!Files.exists(file)) {
            assertThat(System.nanoTime()).as("ved run registered its endpoint in time").isLessThan(deadline);
            Thread.sleep(200);
        }
        return file;
    }

    /** The new message may still be on its way; the CLI answers 'no state' until it is handled. */
    private static CliRun awaitState(String[] args) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        CliRun last;
        do {
            last = CliRun.of(args);
            if (last.exit() == 0) {
                return last;
            }
            Thread.sleep(300);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("ved state did not answer: " + last);
    }

    private static VedRuntime instance(RealStack stack, TopologyFile topology, Path stateDir) {
        return VedRuntime.builder().topology(topology).domains(ExampleApp.domains()).bootstrapServers(stack.bootstrap())
                .schemaRegistry(stack.registryUrl()).stateDir(stateDir).streamsConfig("commit.interval.ms", 100)
                .stateEndpoint("127.0.0.1", 0).build();
    }

    /** Both RUNNING and every partition assigned to one of them (after the second joined, a rebalance follows). */
    private static void awaitStable(VedRuntime a, VedRuntime b) throws Exception {
        StateClient client = new StateClient();
        long deadline = System.nanoTime() + RunningApp.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = a.awaitRunning(Duration.ofSeconds(1)) && b.awaitRunning(Duration.ofSeconds(1));
            for (int i = 0; all && i < ITEMS; i++) {
                all = client.fetch(address(a), InventoryDomain.ref("I" + i), false).status() == 200;
            }
            if (all) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the two instances did not settle");
    }

    private static String address(VedRuntime ved) {
        InetSocketAddress at = ved.stateEndpoint().orElseThrow();
        return at.getHostString() + ":" + at.getPort();
    }

    private static String javaBin() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
