package io.ved.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ved.cli.AppJars;
import io.ved.runtime.topology.TopologyFile;
import io.ved.testdomains.FlakyApplication;
import io.ved.testdomains.FlakyDomain;
import io.ved.testdomains.LedgerState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's application jar names its domains and carries its topology file once: {@code ved send --app} needs neither
 * {@code --domains} nor {@code --topology}, and the running application applies what it sent.
 */
class AppJarIT {
    private final ClassLoader original = Thread.currentThread().getContextClassLoader();

    @TempDir
    Path dir;

    @AfterEach
    void restoreContextClassLoader() {
        Thread.currentThread().setContextClassLoader(original); // --app sets it for the application's classes
    }

    @Test
    void vedSendTakesTheDomainsAndTheTopologyFromTheAppJar() throws Exception {
        RealStack stack = RealStack.get();
        TopologyFile topology = TestTopologies.unique("topology/flaky.yaml", "app-jar");
        Path yaml = TopologyYaml.write(topology, dir.resolve("topology.yaml"));
        Path jar = AppJars.write(dir.resolve("flaky-1.0.jar"), Map.of(
                "META-INF/services/io.ved.api.VedApplication", FlakyApplication.class.getName() + "\n",
                FlakyApplication.TOPOLOGY, Files.readString(yaml)));
        try (RunningApp app = new RunningApp(stack, topology, List.of(FlakyDomain.flaky()))) {
            app.start(dir.resolve("state"));

            CliRun sent = CliRun.of("send", "--app", jar.toString(), "--bootstrap", stack.bootstrap(),
                    "--registry", stack.registryUrl(), "FlakyDomain[from-jar] Flaky(seq: 7)");

            assertThat(sent.exit()).as(sent.toString()).isZero();
            assertThat(sent.out()).startsWith("sent FlakyDomain[from-jar] Flaky");
            await().atMost(RunningApp.WAIT).untilAsserted(() -> {
                LedgerState state = app.states(FlakyDomain.flaky()).get("from-jar");
                assertThat(state).isNotNull();
                assertThat(state.getEntries()).containsExactly(7L);
            });
        }
    }
}
