package io.ved.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.ved.api.Ved;
import io.ved.api.VedSender;
import io.ved.example.ExampleApp;
import io.ved.example.InventoryDomain;
import io.ved.example.inventory.Restock;
import io.ved.runtime.topology.TopologyFile;
import io.ved.testkit.VedStack;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator's Prometheus, Grafana and Kubernetes see of a running application (the example, with the
 * registry reached through a TCP proxy that can cut it off): {@code /metrics} holds every meter the dashboard
 * ({@code ops/grafana}) and the alert rules ({@code ops/prometheus}) query; where Debian's {@code prometheus} is
 * installed, a real Prometheus scrapes the instance, {@code promtool} accepts the rules and every dashboard query
 * returns data; {@code /health/ready} goes DOWN during a registry outage and UP after it, {@code /health/live} stays UP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpsEndpointIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Path OPS = Path.of("../../ops");
    private static final Pattern METRIC = Pattern.compile("\\b((?:ved|kafka|jvm|process)_[a-z0-9_]+)\\b");

    @TempDir
    static Path dir;
    private static TcpProxy proxy;
    private static Ved app;
    private static VedSender sender;
    private static TopologyFile topology;
    private static String base;

    @BeforeAll
    static void startTheExampleWithItsEndpoint() throws Exception {
        VedStack stack = VedStack.shared();
        URI registry = URI.create(stack.registryUrl());
        topology = TestTopologies.unique(ExampleApp.TOPOLOGY, "ops");
        Path file = TopologyYaml.write(topology, dir.resolve("ops.yaml"));
        stack.createTopics(file);
        proxy = new TcpProxy(registry.getPort());
        app = Ved.builder().topologyFile(file).domains(ExampleApp.domains()).bootstrapServers(stack.bootstrapServers())
                .schemaRegistry("http://127.0.0.1:" + proxy.port() + registry.getPath()).stateDir(dir.resolve("state"))
                .stateEndpoint("127.0.0.1", 0).build();
        app.start();
        assertThat(app.awaitRunning(Duration.ofSeconds(90))).isTrue();
        base = "http://127.0.0.1:" + app.stateEndpoint().orElseThrow().getPort();
        sender = stack.sender(file, "/ops-it");
        send(20);
    }

    @AfterAll
    static void stop() throws Exception {
        if (sender != null) {
            sender.close();
        }
        if (app != null) {
            app.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    private static int sent;

    private static void send(int messages) {
        for (int i = 0; i < messages; i++, sent++) {
            sender.send(InventoryDomain.ref("OPS-" + sent % 4), new Restock("OPS-" + sent % 4, 1));
        }
    }

    @Test
    @Order(1)
    void theScrapeHoldsEveryMetricTheDashboardAndTheAlertsQuery() throws Exception {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(get(base + "/metrics").body())
                .contains("ved_messages_handled_total{domain=\"InventoryDomain\"} " + sent + ".0"));
        HttpResponse<String> metrics = get(base + "/metrics");
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        String scrape = metrics.body();
        Set<String> series = new TreeSet<>();
        scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> series.add(l.split("[{ ]", 2)[0]));

        Set<String> queried = new TreeSet<>();
        queries().forEach(q -> queried.addAll(metricNames(q)));
        assertThat(queried).as("the dashboard and the alert rules query these").contains("ved_mailbox_lag_records",
                "ved_handler_time_seconds_bucket", "ved_messages_dead_lettered_total", "ved_messages_quarantined_total",
                "kafka_stream_thread_commit_latency_avg", "kafka_consumer_coordinator_rebalance_total", "ved_ready");
        assertThat(series).as("metrics on /metrics").containsAll(queried);

        assertThat(scrape).contains("ved_ready{application=\"" + topology.application() + "\"} 1.0")
                .contains("ved_restore_remaining_records{application=\"" + topology.application() + "\"} 0.0")
                .contains("ved_handler_time_seconds_count{domain=\"InventoryDomain\"} " + sent + "\n");
        // once all is committed, each inbox partition is behind by at most its last transaction's commit marker
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Double> lags = get(base + "/metrics").body().lines().filter(l -> l.startsWith("ved_mailbox_lag_records{"))
                    .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).toList();
            assertThat(lags).hasSizeGreaterThanOrEqualTo(3).allSatisfy(lag -> assertThat(lag).isLessThanOrEqualTo(1.0));
        });
    }

    @Test
    @Order(2)
    void aRealPrometheusScrapesItAcceptsTheRulesAndEveryDashboardQueryReturnsData() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/prometheus")) && Files.isExecutable(Path.of("/usr/bin/promtool")),
                "Debian's prometheus package is not installed (.ci/run installs it): skipping the real-Prometheus check");
        Process check = new ProcessBuilder("/usr/bin/promtool", "check", "rules", OPS.resolve("prometheus/ved-alerts.yml").toString())
                .redirectErrorStream(true).start();
        String checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor()).as(checked).isZero();
        assertThat(checked).contains("SUCCESS: 6 rules found");

        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: ved
                    static_configs:
                      - targets: ["%s"]
                """.formatted(OPS.resolve("prometheus/ved-alerts.yml").toAbsolutePath(), base.substring("http://".length())));
        Process prometheus = new ProcessBuilder("/usr/bin/prometheus", "--config.file=" + config, "--storage.tsdb.path="
                + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            String api = "http://127.0.0.1:" + port + "/api/v1/query?query=";
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                    assertThat(get(api + encode("up{job=\"ved\"}")).body()).contains("\"value\":[").contains(",\"1\"]"));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                send(8); // rates need samples a few seconds apart with traffic between them
                List<String> empty = new ArrayList<>();
                for (String query : dashboardQueries()) {
                    JsonNode answer = new ObjectMapper().readTree(get(api + encode(query)).body());
                    assertThat(answer.path("status").asText()).as(query).isEqualTo("success");
                    if (answer.path("data").path("result").isEmpty()) {
                        empty.add(query);
                    }
                }
                assertThat(empty).as("dashboard queries without data").isEmpty();
            });
            String rules = get("http://127.0.0.1:" + port + "/api/v1/rules").body();
            assertThat(rules).contains("VedMailboxLagGrowing").contains("VedNotReady").doesNotContain("\"health\":\"err\"");
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
    }

    @Test
    @Order(3)
    void readinessGoesDownDuringARegistryOutageAndComesBack() throws Exception {
        assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get(base + "/health/ready").statusCode()).isEqualTo(200));

        proxy.cut();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> ready = get(base + "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"status\":\"DOWN\"").contains("the schema registry does not answer");
        });
        assertThat(get(base + "/metrics").body()).contains("ved_ready{application=\"" + topology.application() + "\"} 0.0");
        assertThat(get(base + "/health/live").statusCode()).as("an outage is no reason to restart").isEqualTo(200);

        proxy.restore();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> ready = get(base + "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"status\":\"UP\"");
        });
        assertThat(get(base + "/health/other").statusCode()).isEqualTo(404);
    }

    /** Every PromQL expression of the dashboard and the alert rules. */
    private static List<String> queries() throws Exception {
        List<String> all = new ArrayList<>(dashboardQueries());
        for (JsonNode group : new YAMLMapper().readTree(OPS.resolve("prometheus/ved-alerts.yml").toFile()).path("groups")) {
            group.path("rules").forEach(rule -> all.add(rule.path("expr").asText()));
        }
        return all;
    }

    private static List<String> dashboardQueries() throws Exception {
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : new ObjectMapper().readTree(OPS.resolve("grafana/ved-dashboard.json").toFile()).path("panels")) {
            panel.path("targets").forEach(t -> queries.add(t.path("expr").asText()));
        }
        assertThat(queries).hasSizeGreaterThanOrEqualTo(10);
        return queries;
    }

    private static Set<String> metricNames(String query) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(query);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static String encode(String query) {
        return URLEncoder.encode(query, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
