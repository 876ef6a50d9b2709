package io.ved.tooling.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ved.api.Sent;
import io.ved.example.BillingDomain;
import io.ved.example.ExampleApp;
import io.ved.example.InventoryDomain;
import io.ved.example.billing.PlaceOrder;
import io.ved.example.inventory.Restock;
import io.ved.internal.TraceOutcome;
import io.ved.internal.TraceRecord;
import io.ved.testkit.VedTestKit;
import io.ved.tooling.trace.TraceTree.Node;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Building the causal tree from trace records, and printing it in every format. */
class TraceTreeTest {

    private static TraceRecord record(String id, String causation, String type, String target, TraceOutcome outcome,
                                      int hops, List<String> sent) {
        return TraceRecord.newBuilder()
                .setMessageId(id).setCorrelationId("c-1").setCausationId(causation)
                .setSender(causation == null ? null : "BillingDomain[acme]").setSource(causation == null ? "/cli" : "/ved/BillingDomain/acme")
                .setTarget(target).setMessageType("io.ved.example." + type).setOutcome(outcome)
                .setReason(outcome == TraceOutcome.HANDLED ? null : "because " + outcome)
                .setHops(hops).setTopic("inbox").setPartition(1).setOffset(hops * 10L)
                .setRecordTime(1_000L + hops).setHandledTime(1_005L + hops).setHandlingMicros(outcome == TraceOutcome.HANDLED ? 250 : 0)
                .setSent(sent).build();
    }

    @Test
    void aRealCorrelationFromTheTestKitIsATreeInCausalOrder() {
        try (VedTestKit kit = VedTestKit.of(ExampleApp.TOPOLOGY, BillingDomain.definition(), InventoryDomain.definition())) {
            kit.send(InventoryDomain.ref("A12"), new Restock("A12", 5));
            Sent order = kit.send(BillingDomain.ref("acme"), new PlaceOrder("o-1", "A12", 2, 1250L));
            List<TraceRecord> records = kit.traces().stream()
                    .filter(t -> t.getCorrelationId().equals(order.correlationId().value())).toList();

            TraceTree tree = TraceTree.build(order.correlationId().value(), records);

            assertThat(tree.roots()).hasSize(1);
            assertThat(tree.inCausalOrder()).extracting(Node::type).containsExactly("PlaceOrder", "ReserveStock", "StockReserved");
            assertThat(tree.inCausalOrder()).extracting(Node::hops).containsExactly(0, 1, 2);
            Node root = tree.roots().get(0);
            assertThat(root.messageId()).isEqualTo(order.id().value());
            assertThat(root.from()).isEqualTo("/ved-testkit");
            assertThat(root.children()).singleElement().satisfies(c -> {
                assertThat(c.from()).isEqualTo("BillingDomain[acme]");
                assertThat(c.target()).isEqualTo("InventoryDomain[A12]");
            });
            String text = TraceFormat.tree(tree);
            assertThat(text).contains("Correlation " + order.correlationId() + ": 3 message(s), 3 trace record(s); 3 HANDLED")
                    .contains("PlaceOrder  /ved-testkit -> BillingDomain[acme]  (hops 0)")
                    .contains("└── ReserveStock  BillingDomain[acme] -> InventoryDomain[A12]  (hops 1)")
                    .contains("    └── StockReserved  InventoryDomain[A12] -> BillingDomain[acme]  (hops 2)")
                    .containsPattern("HANDLED\\s+.*ved\\.inventory\\.inbox/\\d+@\\d+  at \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\(\\+\\d+ ms\\)  handler \\d+ µs  sent 1");
            assertThat(text.indexOf("PlaceOrder")).isLessThan(text.indexOf("ReserveStock"));
            assertThat(text.indexOf("ReserveStock")).isLessThan(text.indexOf("StockReserved"));
        }
    }

    @Test
    void aMessageWithSeveralOutcomesShowsThemAllInOrder() {
        TraceTree tree = TraceTree.build("c-1", List.of(
                record("m1", null, "PlaceOrder", "BillingDomain[acme]", TraceOutcome.HANDLED, 0, List.of("m2")),
                record("m2", "m1", "ReserveStock", "InventoryDomain[A12]", TraceOutcome.RETRY_SCHEDULED, 1, List.of()),
                record("m2", "m1", "ReserveStock", "InventoryDomain[A12]", TraceOutcome.RETRY_SCHEDULED, 1, List.of()),
                record("m2", "m1", "ReserveStock", "InventoryDomain[A12]", TraceOutcome.DEAD_LETTERED, 1, List.of())));

        Node m2 = tree.find("m2");
        assertThat(m2.records()).extracting(TraceRecord::getOutcome)
                .containsExactly(TraceOutcome.RETRY_SCHEDULED, TraceOutcome.RETRY_SCHEDULED, TraceOutcome.DEAD_LETTERED);
        assertThat(m2.outcomeSummary()).isEqualTo("RETRY_SCHEDULED x2 -> DEAD_LETTERED");
        assertThat(tree.outcomeCounts()).containsEntry("HANDLED", 1).containsEntry("DEAD_LETTERED", 1);
        String text = TraceFormat.tree(tree);
        int first = text.indexOf("RETRY_SCHEDULED");
        assertThat(first).isPositive();
        assertThat(text.indexOf("RETRY_SCHEDULED", first + 1)).isGreaterThan(first);
        assertThat(text.indexOf("DEAD_LETTERED  ")).isGreaterThan(text.lastIndexOf("RETRY_SCHEDULED"));
        assertThat(text).contains("reason: because DEAD_LETTERED");
    }

    @Test
    void childrenFollowSendOrderAndASentMessageWithoutRecordIsANode() {
        TraceTree tree = TraceTree.build("c-1", List.of(
                record("m1", null, "PlaceOrder", "BillingDomain[acme]", TraceOutcome.HANDLED, 0, List.of("b", "a", "ghost")),
                record("a", "m1", "ReserveStock", "InventoryDomain[A]", TraceOutcome.HANDLED, 1, List.of()),
                record("b", "m1", "ReserveStock", "InventoryDomain[B]", TraceOutcome.HANDLED, 1, List.of())));

        Node root = tree.roots().get(0);
        assertThat(root.children()).extracting(Node::messageId).containsExactly("b", "a", "ghost");
        Node ghost = tree.find("ghost");
        assertThat(ghost.traced()).isFalse();
        assertThat(ghost.hops()).isEqualTo(1);
        assertThat(ghost.outcomeSummary()).isEqualTo("no trace record");
        assertThat(TraceFormat.tree(tree)).contains("no trace record yet");
    }

    @Test
    void aCauseOutsideTheTraceMakesARootAndRootsKeepTheirOrder() {
        TraceTree tree = TraceTree.build("c-1", List.of(
                record("x", "not-here", "StockReserved", "BillingDomain[acme]", TraceOutcome.HANDLED, 2, List.of()),
                record("m1", null, "PlaceOrder", "BillingDomain[acme]", TraceOutcome.HANDLED, 0, List.of())));
        assertThat(tree.roots()).extracting(Node::messageId).containsExactly("x", "m1");
    }

    @Test
    void causationCyclesFromBadDataDoNotLoop() {
        TraceTree tree = TraceTree.build("c-1", List.of(
                record("a", "b", "T", "D[1]", TraceOutcome.HANDLED, 1, List.of()),
                record("b", "a", "T", "D[2]", TraceOutcome.HANDLED, 1, List.of())));
        assertThat(tree.messageCount()).isEqualTo(2);
        assertThat(tree.roots()).isNotEmpty();
    }

    @Test
    void theChainToOneMessageLeavesOutEverythingElse() {
        TraceTree tree = TraceTree.build("c-1", List.of(
                record("m1", null, "PlaceOrder", "BillingDomain[acme]", TraceOutcome.HANDLED, 0, List.of("a", "b")),
                record("a", "m1", "ReserveStock", "InventoryDomain[A]", TraceOutcome.HANDLED, 1, List.of("a2")),
                record("b", "m1", "ReserveStock", "InventoryDomain[B]", TraceOutcome.HANDLED, 1, List.of()),
                record("a2", "a", "StockReserved", "BillingDomain[acme]", TraceOutcome.HANDLED, 2, List.of())));

        TraceTree chain = tree.chainTo(tree.find("a"));

        assertThat(chain.inCausalOrder()).extracting(Node::messageId).containsExactly("m1", "a");
        assertThat(chain.recordCount()).isEqualTo(2);
        assertThat(tree.messageCount()).as("the original is untouched").isEqualTo(4);
    }

    @Test
    void messagesAreFoundByAUniquePrefixAndAnUnknownOneIsNamed() {
        TraceTree tree = TraceTree.build("c-1", List.of(
                record("abc-1", null, "PlaceOrder", "BillingDomain[acme]", TraceOutcome.HANDLED, 0, List.of()),
                record("abd-2", null, "PlaceOrder", "BillingDomain[acme]", TraceOutcome.HANDLED, 0, List.of())));
        assertThat(tree.find("abc").messageId()).isEqualTo("abc-1");
        assertThatThrownBy(() -> tree.find("ab")).hasMessageContaining("starts 2 message ids");
        assertThatThrownBy(() -> tree.find("zzz")).hasMessageContaining("message zzz is not in correlation c-1");
    }

    @Test
    void jsonMermaidDotAndHtmlHaveEveryMessage() throws Exception {
        TraceTree tree = TraceTree.build("c-1", List.of(
                record("m1", null, "PlaceOrder", "BillingDomain[acme]", TraceOutcome.HANDLED, 0, List.of("m2", "m3")),
                record("m2", "m1", "ReserveStock", "InventoryDomain[A\"<12>]", TraceOutcome.DEAD_LETTERED, 1, List.of()),
                record("m3", "m1", "ReserveStock", "InventoryDomain[B]", TraceOutcome.HANDLED, 1, List.of())));

        JsonNode json = new ObjectMapper().readTree(TraceFormat.json(tree));
        assertThat(json.get("correlation_id").asText()).isEqualTo("c-1");
        assertThat(json.get("messages").asInt()).isEqualTo(3);
        JsonNode root = json.get("roots").get(0);
        assertThat(root.get("message_id").asText()).isEqualTo("m1");
        assertThat(root.get("outcomes").get(0).get("handling_micros").asLong()).isEqualTo(250);
        assertThat(root.get("children")).extracting(c -> c.get("message_id").asText()).containsExactly("m2", "m3");
        assertThat(root.get("children").get(0).get("outcomes").get(0).get("reason").asText()).isEqualTo("because DEAD_LETTERED");

        String mermaid = TraceFormat.mermaid(tree);
        assertThat(mermaid).startsWith("flowchart TD\n").contains("m0 --> m1", "m0 --> m2", "%% m1 = message m2")
                .contains("InventoryDomain[A#quot;#lt;12#gt;]").contains("class m1 dead");

        String dot = TraceFormat.dot(tree);
        assertThat(dot).startsWith("digraph \"correlation c-1\" {").contains("\"m1\" -> \"m2\";", "\"m1\" -> \"m3\";")
                .contains("InventoryDomain[A\\\"<12>]").endsWith("}\n");

        String html = TraceHtml.render(tree);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("InventoryDomain[A&quot;&lt;12&gt;]");
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).as("nothing from the network")
                .doesNotContain("http://", "https://", "<script", "<link");
        Matcher nodes = Pattern.compile("<g class=\"node [a-z]+\" id=\"node-\\d+\" data-message-id=\"([^\"]+)\"").matcher(html);
        List<String> ids = nodes.results().map(m -> m.group(1)).toList();
        assertThat(ids).containsExactly("m1", "m2", "m3");
    }
}
