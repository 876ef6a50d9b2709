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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ved over mutual TLS: a CA and certificates made in the test with the JDK's {@code keytool}, a broker whose client
 * listener is SSL and requires a client certificate signed by that CA. The example connects with its certificate
 * (topics, application, sender) and runs end to end; a client whose certificate the CA did not sign is refused. The
 * application's registry sits behind HTTPS (the same CA) and basic auth: it reaches it with the truststore and the
 * credentials of its client config; wrong credentials and a missing truststore are reported, never quoted.
 */
class TlsIT {
    private static final String PASSWORD = "tls-store-pw-41c";

    @TempDir
    Path dir;

    @Test
    void theExampleRunsOverMutualTlsAndAnUntrustedCertificateIsRefused() throws Exception {
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=ved-test-ca", "-ext", "bc:c",
                "-validity", "2", "-keystore", "ca.p12", "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", PASSWORD, "-rfc", "-file", "ca.crt");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.crt", "-keystore", "trust.p12", "-storetype", "PKCS12",
                "-storepass", PASSWORD);
        signed("broker", "CN=localhost");
        signed("app", "CN=orders-app");
        keytool("-genkeypair", "-alias", "rogue", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=rogue", "-validity", "2",
                "-keystore", "rogue.p12", "-storetype", "PKCS12", "-storepass", PASSWORD);

        EmbeddedKafka.Builder tls = EmbeddedKafka.builder()
                .config("listener.security.protocol.map", "PLAINTEXT:SSL,CONTROLLER:PLAINTEXT")
                .config("ssl.client.auth", "required");
        ssl("broker").forEach((k, v) -> tls.config(k, v.toString()));
        ssl("app").forEach(tls::readyClientConfig);
        String registry = VedStack.shared().registryUrl();
        // the application reaches the registry over HTTPS with basic auth, through a proxy that demands both
        com.sun.net.httpserver.HttpsServer guard = guardedRegistry(URI.create(registry));
        String securedRegistry = "https://127.0.0.1:" + guard.getAddress().getPort() + URI.create(registry).getPath();
        try (EmbeddedKafka kafka = tls.start()) {
            Path appConfig = dir.resolve("app-tls.properties");
            StringBuilder text = new StringBuilder();
            ssl("app").forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
            text.append("schema.registry.basic.auth.user.info=ved:").append(REGISTRY_SECRET).append('\n')
                    .append("schema.registry.ssl.truststore.location=").append(dir.resolve("trust.p12")).append('\n')
                    .append("schema.registry.ssl.truststore.password=").append(PASSWORD).append('\n');
            Files.writeString(appConfig, text);
            TopologyFile topology = TestTopologies.unique(ExampleApp.TOPOLOGY, "tls");
            Path file = TopologyYaml.write(topology, dir.resolve("tls.yaml"));

            CliRun topics = CliRun.of("topics", "apply", "--topology", file.toString(), "--bootstrap", kafka.bootstrapServers(),
                    "--registry", registry, "--command-config", appConfig.toString());
            assertThat(topics.exit()).as(topics.toString()).isZero();
            assertThat(topics.out() + topics.err()).doesNotContain(PASSWORD);

            // the application's log (slf4j-simple writes to System.err when it logs) is kept, to look for secrets in it
            java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
            java.io.PrintStream stderr = System.err;
            System.setErr(new java.io.PrintStream(new java.io.OutputStream() {
                @Override
                public void write(int b) {
                    stderr.write(b);
                    log.write(b);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) {
                    stderr.write(bytes, offset, length);
                    log.write(bytes, offset, length);
                }
            }, true));
            try (Ved ved = Ved.builder().topologyFile(file).domains(ExampleApp.domains()).bootstrapServers(kafka.bootstrapServers())
                    .schemaRegistry(securedRegistry).clientConfig(appConfig).stateDir(dir.resolve("state")).stateEndpoint("127.0.0.1", 0).build();
                 VedSender sender = VedSender.connect(kafka.bootstrapServers(), registry, file, "/tls-it", ssl("app"))) {
                ved.start();
                assertThat(ved.awaitRunning(Duration.ofSeconds(90))).as("the application runs over mTLS").isTrue();
                sender.send(InventoryDomain.ref("TLS-1"), new Restock("TLS-1", 4));
                String state = "http://127.0.0.1:" + ved.stateEndpoint().orElseThrow().getPort() + "/state/InventoryDomain/TLS-1";
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                    HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(state)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(answer.statusCode()).isEqualTo(200);
                    assertThat(answer.body()).containsPattern("\"on_hand\"\\s*:\\s*4\\b");
                });
                assertThat(guarded.get()).as("requests the guard let through").isPositive();
            } finally {
                System.setErr(stderr);
            }
            String logged = log.toString(StandardCharsets.UTF_8);
            // the tests log Kafka at WARN only (Kafka prints password-type settings as [hidden] at INFO); Ved's lines are here
            assertThat(logged).as("the log was captured").contains("Ved application " + topology.application() + " started");
            assertThat(logged).as("no secret in the application's log").doesNotContain(PASSWORD).doesNotContain(REGISTRY_SECRET);
            Map<String, Object> wrongPassword = Map.of("schema.registry.basic.auth.user.info", "ved:wrong",
                    "schema.registry.ssl.truststore.location", dir.resolve("trust.p12").toString(),
                    "schema.registry.ssl.truststore.password", PASSWORD);
            try (var refused = io.ved.envelope.registry.HttpSchemaRegistry.configured(securedRegistry, wrongPassword)) {
                assertThat(refused.probe()).hasValueSatisfying(p -> assertThat(p).contains("refused the credentials (HTTP 401)")
                        .doesNotContain("wrong"));
            }
            try (var untrusting = new io.ved.envelope.registry.HttpSchemaRegistry(securedRegistry)) {
                assertThat(untrusting.probe()).as("without the CA the registry's certificate is not trusted").isPresent();
            }

            Map<String, Object> rogue = new LinkedHashMap<>(ssl("app"));
            rogue.put("ssl.keystore.location", dir.resolve("rogue.p12").toString());
            rogue.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            rogue.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
            rogue.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
            try (Admin untrusted = Admin.create(rogue)) {
                assertThatThrownBy(() -> untrusted.listTopics().names().get(15, TimeUnit.SECONDS))
                        .as("a certificate the CA did not sign").hasRootCauseInstanceOf(javax.net.ssl.SSLHandshakeException.class);
            }
        } finally {
            guard.stop(0);
        }
    }

    private static final String REGISTRY_SECRET = "registry-secret-5e2";
    private final java.util.concurrent.atomic.AtomicInteger guarded = new java.util.concurrent.atomic.AtomicInteger();

    /** HTTPS with the broker's CA-signed certificate, basic auth required, then forwarded to the real registry. */
    private com.sun.net.httpserver.HttpsServer guardedRegistry(URI registry) throws Exception {
        java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(dir.resolve("broker.p12"))) {
            keys.load(in, PASSWORD.toCharArray());
        }
        javax.net.ssl.KeyManagerFactory km = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        km.init(keys, PASSWORD.toCharArray());
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(km.getKeyManagers(), null, null);
        var server = com.sun.net.httpserver.HttpsServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(context));
        String expected = "Basic " + java.util.Base64.getEncoder().encodeToString(("ved:" + REGISTRY_SECRET).getBytes(StandardCharsets.UTF_8));
        HttpClient upstream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        server.createContext("/", exchange -> {
            try (exchange) {
                if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                guarded.incrementAndGet();
                byte[] body = exchange.getRequestBody().readAllBytes();
                HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create("http://" + registry.getHost() + ":" + registry.getPort()
                        + exchange.getRequestURI())).method(exchange.getRequestMethod(), body.length == 0
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
                String type = exchange.getRequestHeaders().getFirst("Content-Type");
                if (type != null) {
                    forward.header("Content-Type", type);
                }
                HttpResponse<byte[]> answer = upstream.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                answer.headers().firstValue("Content-Type").ifPresent(t -> exchange.getResponseHeaders().set("Content-Type", t));
                exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
                exchange.getResponseBody().write(answer.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        return server;
    }

    /** A key pair for {@code name}, its certificate signed by the CA (for 127.0.0.1 and localhost), in {@code name.p12}. */
    private void signed(String name, String dname) throws Exception {
        String store = name + ".p12";
        keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-dname", dname, "-validity", "2",
                "-keystore", store, "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-certreq", "-alias", name, "-keystore", store, "-storepass", PASSWORD, "-file", name + ".csr");
        keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", PASSWORD, "-infile", name + ".csr",
                "-outfile", name + ".crt", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-rfc");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.crt", "-keystore", store, "-storepass", PASSWORD);
        keytool("-importcert", "-alias", name, "-file", name + ".crt", "-keystore", store, "-storepass", PASSWORD);
    }

    private Map<String, Object> ssl(String name) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("security.protocol", "SSL");
        c.put("ssl.keystore.type", "PKCS12");
        c.put("ssl.keystore.location", dir.resolve(name + ".p12").toString());
        c.put("ssl.keystore.password", PASSWORD);
        c.put("ssl.key.password", PASSWORD);
        c.put("ssl.truststore.type", "PKCS12");
        c.put("ssl.truststore.location", dir.resolve("trust.p12").toString());
        c.put("ssl.truststore.password", PASSWORD);
        return c;
    }

    private void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("keytool " + String.join(" ", args) + ": " + out).isZero();
    }
}
