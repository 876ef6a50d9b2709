package io.ved.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ved.api.DomainDefinition;
import io.ved.testdomains.FlakyApplication;
import io.ved.testdomains.FlakyDomain;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI finds an application's domains and topology file in its jar, named once by its service file. */
class AppOptionsTest {
    private static final String SERVICE = "META-INF/services/io.ved.api.VedApplication";
    private final ClassLoader original = Thread.currentThread().getContextClassLoader();

    @TempDir
    Path dir;

    @AfterEach
    void restoreContextClassLoader() {
        Thread.currentThread().setContextClassLoader(original);
    }

    @Test
    void theAppJarNamesTheDomainsAndCarriesTheTopologyFile() throws Exception {
        AppOptions options = withApp(AppJars.write(dir.resolve("flaky-1.0.jar"), Map.of(
                SERVICE, "# the application\n" + FlakyApplication.class.getName() + "\n",
                FlakyApplication.TOPOLOGY, "application: flaky-from-jar\ndomains:\n  - {type: FlakyDomain, topic: jar.flaky}\n")));

        assertThat(options.domains()).extracting(DomainDefinition::type).containsExactly(FlakyDomain.FLAKY);
        assertThat(options.topologyFile().application()).isEqualTo("flaky-from-jar");
        assertThat(options.catalog().localDomains()).hasSize(1);
        assertThat(options.describe()).isEqualTo(FlakyApplication.class.getName());
    }

    @Test
    void aJarThatListsNoApplicationIsRefusedSayingWhatToAdd() throws Exception {
        AppOptions options = withApp(AppJars.write(dir.resolve("plain.jar"), Map.of("README", "nothing here")));

        assertThatThrownBy(options::domains).isInstanceOf(UserError.class)
                .hasMessageContaining("lists no io.ved.api.VedApplication: add " + SERVICE + " naming your class");
    }

    @Test
    void aMissingJarIsRefusedNamingIt() {
        AppOptions options = withApp(dir.resolve("target/orders-1.0.jar"));

        assertThatThrownBy(options::domains).isInstanceOf(UserError.class)
                .hasMessageContaining("orders-1.0.jar: no such file");
    }

    @Test
    void aTopologyResourceMissingFromTheJarIsRefusedNamingWhereToPutIt() throws Exception {
        AppOptions options = withApp(AppJars.write(dir.resolve("no-topology.jar"),
                Map.of(SERVICE, FlakyApplication.class.getName())));

        assertThatThrownBy(options::topologyFile).isInstanceOf(UserError.class)
                .hasMessageContaining("names " + FlakyApplication.TOPOLOGY + ", which is not in --app");
    }

    @Test
    void withoutAppOrDomainsTheApplicationOnTheClasspathRuns() {
        AppOptions options = new AppOptions();

        assertThat(options.domains()).extracting(d -> d.type().name()).containsExactly("BillingDomain", "InventoryDomain");
        assertThat(options.describe()).isEqualTo("io.ved.example.ExampleApplication");
    }

    private static AppOptions withApp(Path jar) {
        AppOptions options = new AppOptions();
        options.app = List.of(jar);
        return options;
    }
}
