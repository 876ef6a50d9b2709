package io.ved.runtime.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.ved.example.BillingDomain;
import io.ved.example.ExampleApp;
import io.ved.example.InventoryDomain;
import io.ved.example.billing.PlaceOrder;
import io.ved.example.inventory.Restock;
import io.ved.testkit.VedTestKit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With OpenTelemetry on, each handled message is a span parented on its sender's span, inside the caller's trace. */
class OpenTelemetryTest {

    @SuppressWarnings("try") // the scope is held open around the sends, not referenced
    @Test
    void aChainOfMessagesIsAChainOfSpansInTheCallersTrace() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .build();
        try (VedTestKit kit = VedTestKit.withTelemetry(otel, ExampleApp.TOPOLOGY, BillingDomain.definition(), InventoryDomain.definition())) {
            kit.send(InventoryDomain.ref("A12"), new Restock("A12", 5));
            exporter.reset();

            Span request = otel.getTracer("test").spanBuilder("POST /orders").startSpan();
            try (Scope ignored = request.makeCurrent()) {
                kit.send(BillingDomain.ref("acme"), new PlaceOrder("o-1", "A12", 2, 100L));
            } finally {
                request.end();
            }
        }

        List<SpanData> spans = exporter.getFinishedSpanItems();
        Map<String, SpanData> byName = new java.util.HashMap<>();
        spans.forEach(s -> byName.put(s.getName(), s));
        SpanData caller = byName.get("POST /orders");
        SpanData order = byName.get("BillingDomain handle PlaceOrder");
        SpanData reserve = byName.get("InventoryDomain handle ReserveStock");
        SpanData reserved = byName.get("BillingDomain handle StockReserved");
        assertThat(List.of(order, reserve, reserved)).doesNotContainNull();
        assertThat(spans).extracting(SpanData::getTraceId).containsOnly(caller.getTraceId());
        assertThat(order.getParentSpanId()).isEqualTo(caller.getSpanId());
        assertThat(reserve.getParentSpanId()).isEqualTo(order.getSpanId());
        assertThat(reserved.getParentSpanId()).isEqualTo(reserve.getSpanId());
        assertThat(reserve.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(reserve.getAttributes().asMap().toString()).contains("ved.target=InventoryDomain[A12]").contains("ved.outcome=HANDLED");
    }

    @Test
    void tracingIsOffUnlessTheStandardVariablesAskForIt() {
        assertThat(Telemetry.asked(Map.of())).isFalse();
        assertThat(Telemetry.asked(Map.of("OTEL_TRACES_EXPORTER", "none"))).isFalse();
        assertThat(Telemetry.asked(Map.of("OTEL_TRACES_EXPORTER", "otlp"))).isTrue();
        assertThat(Telemetry.asked(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"))).isTrue();
        assertThat(Telemetry.fromEnvironment(Map.of("OTEL_TRACES_EXPORTER", "otlp", "OTEL_SDK_DISABLED", "true")))
                .isSameAs(io.opentelemetry.api.OpenTelemetry.noop());
    }
}
