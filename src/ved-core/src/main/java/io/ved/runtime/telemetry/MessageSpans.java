package io.ved.runtime.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.ved.envelope.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * One span per handled message, parented on the sender's span through the W3C {@code traceparent} header,
 * so Ved's chains of messages show up inside a user's existing traces. The header is always propagated, even
 * with tracing off, so a downstream service that traces still joins the chain.
 */
public final class MessageSpans {
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<Headers> FROM_HEADERS = new TextMapGetter<>() {
        @Override
        @SuppressWarnings("deprecation") // still abstract in this OpenTelemetry version: it must be implemented
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            headers.forEach(h -> keys.add(h.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header h = headers == null ? null : headers.lastHeader(key);
            return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
    };
    private static final TextMapSetter<Headers> TO_HEADERS = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    };

    private final Tracer tracer;

    public MessageSpans(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("io.ved");
    }

    /** Starts the span of handling one message, as a child of the sender's span when the headers carry one. */
    public Span start(Envelope envelope, Headers headers, String domainType) {
        Context parent = W3C.extract(Context.root(), headers, FROM_HEADERS);
        String shortType = envelope.type().substring(envelope.type().lastIndexOf('.') + 1);
        return tracer.spanBuilder(domainType + " handle " + shortType)
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.message.id", envelope.id().value())
                .setAttribute("messaging.message.conversation_id", envelope.correlation().value())
                .setAttribute("ved.target", envelope.subject())
                .setAttribute("ved.message.type", envelope.type())
                .setAttribute("ved.hops", envelope.hops())
                .startSpan();
    }

    /** Writes the span's context into a sent message's headers, making it the parent of the receiver's span. */
    public static void inject(Span span, Headers headers) {
        W3C.inject(Context.root().with(span), headers, TO_HEADERS);
    }

    /** Writes the caller's current context (for example a service's request span) into an outside send. */
    public static void injectCurrent(Headers headers) {
        W3C.inject(Context.current(), headers, TO_HEADERS);
    }

    public static void end(Span span, String outcome, Throwable error) {
        span.setAttribute("ved.outcome", outcome);
        if (error != null) {
            span.recordException(error);
            span.setStatus(StatusCode.ERROR, error.getMessage() == null ? error.getClass().getName() : error.getMessage());
        }
        span.end();
    }
}
