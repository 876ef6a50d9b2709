package io.ved.envelope.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ved.tooling.stack.LocalRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link HttpSchemaRegistry} against a real Apicurio Registry, because the behaviours that matter
 * (which status a refused evolution gets, whether ids are stable, what "unknown id" looks like) are the
 * registry's, and a mock would only repeat our assumptions about them.
 *
 * <p>One registry serves the whole class (startup takes several seconds); each test uses its own subject, so
 * tests don't depend on one another's registrations. Checks that must prove the registry's behaviour, not
 * the client's cache, use a fresh client.
 */
class HttpSchemaRegistryIT {

    @TempDir
    static Path workDir;

    private static LocalRegistry registry;
    private static HttpSchemaRegistry client;

    @BeforeAll
    static void startRegistry() {
        registry = LocalRegistry.start(LocalRegistry.ensureDistribution(), workDir);
        client = new HttpSchemaRegistry(registry.ccompatUrl());
    }

    @AfterAll
    static void stopRegistry() {
        if (client != null) {
            client.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void registerReturnsAnId(TestInfo test) {
        var id = client.register(subject(test), order("Order1"));

        assertThat(id).isPositive();
    }

    @Test
    void theSameSchemaRegisteredTwiceGetsTheSameId(TestInfo test) {
        var schema = order("Order2");
        var first = client.register(subject(test), schema);

        try (var uncached = new HttpSchemaRegistry(registry.ccompatUrl())) {
            assertThat(uncached.register(subject(test), schema)).isEqualTo(first);
        }
        assertThat(client.register(subject(test), schema)).isEqualTo(first);
    }

    @Test
    void aSchemaComesBackByItsId(TestInfo test) {
        var schema = order("Order3");
        var id = client.register(subject(test), schema);

        try (var uncached = new HttpSchemaRegistry(registry.ccompatUrl())) {
            assertThat(uncached.schemaById(id)).isEqualTo(schema);
        }
        assertThat(client.schemaById(id)).isEqualTo(schema);
    }

    @Test
    void anUnknownIdIsReportedAsUnknown() {
        assertThatThrownBy(() -> client.schemaById(987_654))
                .isInstanceOf(UnknownSchemaException.class)
                .hasMessageContaining("987654");
    }

    @Test
    void backwardCompatibilityRefusesANewFieldWithoutDefaultAndAcceptsOneWithDefault(TestInfo test) {
        var subject = subject(test);
        client.setCompatibility(subject, "BACKWARD");
        var v1 = client.register(subject, order("Order4"));

        var withoutDefault = SchemaBuilder.record("Order4").namespace("io.ved.it").fields()
                .requiredString("orderId")
                .requiredLong("amount")
                .requiredString("currency")
                .endRecord();
        assertThatThrownBy(() -> client.register(subject, withoutDefault))
                .isExactlyInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining(subject)
                .hasMessageContaining("currency");

        var withDefault = SchemaBuilder.record("Order4").namespace("io.ved.it").fields()
                .requiredString("orderId")
                .requiredLong("amount")
                .name("currency").type().stringType().stringDefault("EUR")
                .endRecord();
        var v2 = client.register(subject, withDefault);
        assertThat(v2).isPositive().isNotEqualTo(v1);
    }

    @Test
    void theLocalStackRefusesABreakingChangeWithoutAnySetUp(TestInfo test) {
        var subject = subject(test); // no per-subject level: the stack's global BACKWARD rule applies
        client.register(subject, order("Order7"));

        var breaking = SchemaBuilder.record("Order7").namespace("io.ved.it").fields()
                .requiredString("orderId")
                .requiredLong("amount")
                .requiredString("currency")
                .endRecord();
        assertThatThrownBy(() -> new HttpSchemaRegistry(registry.ccompatUrl()).register(subject, breaking))
                .as("the stack starts with global compatibility " + LocalRegistry.DEFAULT_COMPATIBILITY)
                .isExactlyInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("currency");
    }

    @Test
    void anUnknownCompatibilityLevelIsRefusedButNotAsUnavailable(TestInfo test) {
        assertThatThrownBy(() -> client.setCompatibility(subject(test), "SIDEWAYS"))
                .isExactlyInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("422");
    }

    /** A wrong URL must not condemn good records as unknown ids: it is an outage, so processing waits for the fix. */
    @Test
    void aBaseUrlThatIsNotARegistryIsNotMistakenForAnUnknownId() {
        var wrongPath = "http://127.0.0.1:" + registry.port() + "/apis/nothing-here";
        try (var misconfigured = new HttpSchemaRegistry(wrongPath)) {
            assertThatThrownBy(() -> misconfigured.schemaById(1))
                    .isExactlyInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("404")
                    .hasMessageContaining("check the registry URL");
        }
    }

    @Test
    void aRegistryWithNothingListeningIsUnavailableQuickly() throws IOException {
        var url = "http://127.0.0.1:" + freePort() + "/apis/ccompat/v7";
        try (var nowhere = new HttpSchemaRegistry(url)) {
            var started = System.nanoTime();

            assertThatThrownBy(() -> nowhere.register("io.ved.it.Nowhere", order("Nowhere")))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining(url)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            assertThatThrownBy(() -> nowhere.schemaById(1))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining(url);

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aRegistryThatNeverAnswersTimesOutAsUnavailable() throws IOException {
        // The kernel completes the TCP handshake from the listen backlog, so the connection succeeds and
        // only the request timeout can end the call: the case of a hung registry.
        try (var silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            var url = "http://127.0.0.1:" + silent.getLocalPort() + "/apis/ccompat/v7";
            try (var hung = new HttpSchemaRegistry(url, Duration.ofSeconds(1), Duration.ofSeconds(1), 2)) {
                var started = System.nanoTime();

                assertThatThrownBy(() -> hung.schemaById(1))
                        .isInstanceOf(RegistryUnavailableException.class)
                        .hasMessageContaining(url)
                        .hasMessageContaining("in time")
                        .hasMessageEndingWith("(tried 2 times)");

                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            }
        }
    }

    private static Schema order(String name) {
        return SchemaBuilder.record(name).namespace("io.ved.it").fields()
                .requiredString("orderId")
                .requiredLong("amount")
                .endRecord();
    }

    /** RecordNameStrategy-like subjects, one per test, so tests never see each other's versions. */
    private static String subject(TestInfo test) {
        return "io.ved.it." + test.getTestMethod().orElseThrow().getName();
    }

    /** A port that was free a moment ago: bound and released, so a connection to it is refused. */
    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
