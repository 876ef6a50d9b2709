package io.ved.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ved.cli.VedCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ved trace on what the example application left on a real broker: the tree, every format, one chain, the HTML page. */
class TraceIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static OrderScenario scenario;

    @TempDir
    Path dir;

    @BeforeAll
    static void runTheOrders() throws Exception {
        scenario = OrderScenario.get();
    }

    @Test
    void aConfirmedOrderIsATreeOfThreeMessagesInCausalOrder() {
        CliRun run = CliRun.of(scenario.args("trace", scenario.confirmed.correlationId().value()));

        assertThat(run.exit()).as(run.toString()).isZero();
        String out = run.out();
        assertThat(out).contains("Correlation " + scenario.confirmed.correlationId() + ": 3 message(s), ").contains("; 3 HANDLED\n")
                .contains("PlaceOrder  /orders-it -> BillingDomain[acme]  (hops 0)")
                .contains("└── ReserveStock  BillingDomain[acme] -> InventoryDomain[A12]  (hops 1)")
                .contains("    └── StockReserved  InventoryDomain[A12] -> BillingDomain[acme]  (hops 2)")
                .contains("id " + scenario.confirmed.id())
                .containsPattern("HANDLED\\s+\\S+\\.billing\\.inbox/" + scenario.confirmed.partition() + "@" + scenario.confirmed.offset()
                        + "  at \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\(\\+\\d+ ms\\)  handler \\d+ µs  sent 1");
        assertThat(out.indexOf("PlaceOrder")).isLessThan(out.indexOf("ReserveStock"));
        assertThat(out.indexOf("ReserveStock")).isLessThan(out.indexOf("StockReserved"));
    }

    @Test
    void aFailedOrderShowsItsRetriesThenTheDeadLetterWithTheReason() {
        CliRun run = CliRun.of(scenario.args("trace", scenario.failed.correlationId().value()));

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("1 DEAD_LETTERED")
                .contains("PlaceOrder  /orders-it -> BillingDomain[acme]  (hops 0)")
                .containsPattern("(?s)RETRY_SCHEDULED .*reason: attempt 1 of 3 failed \\(java.lang.IllegalArgumentException: a domain id must not contain .*"
                        + "RETRY_SCHEDULED .*reason: attempt 2 of 3 failed.*DEAD_LETTERED .*reason: failed 3 time\\(s\\)");
    }

    @Test
    void jsonMermaidAndDotCarryEveryMessage() throws Exception {
        String correlation = scenario.confirmed.correlationId().value();
        CliRun json = CliRun.of(scenario.args("trace", correlation, "--format", "json"));
        assertThat(json.exit()).as(json.toString()).isZero();
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertThat(doc.get("messages").asInt()).isEqualTo(3);
        List<String> ids = ids(doc.get("roots"));
        assertThat(ids).hasSize(3).first().isEqualTo(scenario.confirmed.id().value());

        CliRun mermaid = CliRun.of(scenario.args("trace", correlation, "--format", "MERMAID"));
        assertThat(mermaid.out()).startsWith("flowchart TD").contains("m0 --> m1", "m1 --> m2");
        ids.forEach(id -> assertThat(mermaid.out()).contains("message " + id));

        CliRun dot = CliRun.of(scenario.args("trace", correlation, "--format", "dot"));
        assertThat(dot.out()).startsWith("digraph");
        assertThat(dot.out()).contains("\"" + ids.get(0) + "\" -> \"" + ids.get(1) + "\"", "\"" + ids.get(1) + "\" -> \"" + ids.get(2) + "\"");

        CliRun bad = CliRun.of(scenario.args("trace", correlation, "--format", "svg"));
        assertThat(bad.exit()).isEqualTo(VedCli.USAGE_ERROR);
        assertThat(bad.err()).contains("unknown format 'svg'");
    }

    @Test
    void oneMessageShowsOnlyTheChainFromTheRootDownToIt() throws Exception {
        String correlation = scenario.confirmed.correlationId().value();
        List<String> ids = ids(new ObjectMapper().readTree(CliRun.of(scenario.args("trace", correlation, "--format", "json")).out()).get("roots"));

        CliRun run = CliRun.of(scenario.args("trace", correlation, "--message", ids.get(1).substring(0, 13)));

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("2 message(s)").contains("PlaceOrder").contains("ReserveStock").doesNotContain("StockReserved");
    }

    @Test
    void anUnknownCorrelationOrMessageIsOneLineAndExitCode2() {
        CliRun unknown = CliRun.of(scenario.args("trace", "no-such-correlation"));
        assertThat(unknown.exit()).isEqualTo(VedCli.USAGE_ERROR);
        assertThat(unknown.err()).startsWith("ved: no trace records for correlation no-such-correlation in " + scenario.topology.traceTopic());
        assertThat(unknown.err().strip().lines()).hasSize(1);

        CliRun message = CliRun.of(scenario.args("trace", scenario.confirmed.correlationId().value(), "--message", "nope"));
        assertThat(message.exit()).isEqualTo(VedCli.USAGE_ERROR);
        assertThat(message.err()).startsWith("ved: message nope is not in correlation " + scenario.confirmed.correlationId());
    }

    @Test
    void theHtmlPageDrawsEveryMessageInHeadlessChromium() throws Exception {
        String correlation = scenario.failed.correlationId().value();
        Path page = dir.resolve("trace.html");
        CliRun run = CliRun.of(scenario.args("trace", correlation, "--html", page.toString(), "--format", "json"));
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.err()).contains("Wrote " + page);
        List<String> ids = ids(new ObjectMapper().readTree(run.out()).get("roots"));
        assertThat(Files.readString(page)).contains("data-message-id=\"" + ids.get(0) + "\"");

        assumeTrue(Files.isExecutable(CHROMIUM), "headless Chromium is not installed at " + CHROMIUM
                + " (apt-get install chromium; .ci/run installs it): the page is not checked in a browser");
        String dom = dumpDom(page);
        assertThat(dom).contains("<svg");
        Matcher found = Pattern.compile("data-message-id=\"([^\"]+)\"").matcher(dom);
        List<String> drawn = new ArrayList<>();
        while (found.find()) {
            drawn.add(found.group(1));
        }
        assertThat(drawn).containsAll(ids);
        ids.forEach(id -> assertThat(dom).containsPattern("<g class=\"node [a-z]+\" id=\"node-\\d+\" data-message-id=\"" + Pattern.quote(id) + "\""));
    }

    private String dumpDom(Path page) throws Exception {
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        Path stdout = dir.resolve("dom.html");
        Process chromium = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--dump-dom", page.toUri().toString())
                .redirectOutput(stdout.toFile()).redirectError(dir.resolve("chromium.log").toFile()).start();
        try {
            assertThat(chromium.waitFor(90, TimeUnit.SECONDS)).as("chromium finished within 90 s").isTrue();
        } finally {
            if (chromium.isAlive()) {
                chromium.destroyForcibly();
            }
        }
        assertThat(chromium.exitValue()).as(Files.readString(dir.resolve("chromium.log"))).isZero();
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    private static List<String> ids(JsonNode nodes) {
        List<String> ids = new ArrayList<>();
        for (JsonNode n : nodes) {
            ids.add(n.get("message_id").asText());
            ids.addAll(ids(n.get("children")));
        }
        return ids;
    }
}
