package io.ved.runtime;

import io.ved.api.DomainRef;
import io.ved.api.MessageId;
import io.ved.envelope.Envelope;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.RecordPosition;
import io.ved.internal.TraceOutcome;
import io.ved.internal.TraceRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Writes one trace record per outcome to the trace topic, keyed by correlation id, from inside the task:
 * the record commits in the same transaction as the effect it describes, so the trace never tells of an
 * effect that did not happen. Off for domain types whose policy says so.
 */
final class Tracer {
    private final boolean enabled;
    private final MessageCodec codec;
    private final Consumer<Record<byte[], byte[]>> toTraceTopic;

    Tracer(boolean enabled, MessageCodec codec, Consumer<Record<byte[], byte[]>> toTraceTopic) {
        this.enabled = enabled;
        this.codec = codec;
        this.toTraceTopic = toTraceTopic;
    }

    void handled(Envelope envelope, RecordPosition position, long now, long micros, List<MessageId> sent) {
        write(envelope, position, now, TraceOutcome.HANDLED, null, micros, sent.isEmpty() ? List.of() : ids(sent));
    }

    private static List<String> ids(List<MessageId> sent) {
        List<String> ids = new ArrayList<>(sent.size());
        sent.forEach(id -> ids.add(id.value()));
        return ids;
    }

    void outcome(Envelope envelope, RecordPosition position, long now, TraceOutcome outcome, String reason) {
        write(envelope, position, now, outcome, reason, 0, List.of());
    }

    /** A record rejected before it had an envelope: the trace says what its headers say. */
    void rejected(Headers headers, RecordPosition position, DomainRef target, long now, String reason) {
        fromHeaders(headers, position, target, now, TraceOutcome.DEAD_LETTERED, reason);
    }

    /** A record that arrived on a partition its key does not hash to, forwarded, unread, to the right one. */
    void rerouted(Headers headers, RecordPosition position, DomainRef target, long now, String reason) {
        fromHeaders(headers, position, target, now, TraceOutcome.REROUTED, reason);
    }

    private void fromHeaders(Headers headers, RecordPosition position, DomainRef target, long now, TraceOutcome outcome,
                             String reason) {
        if (!enabled) {
            return;
        }
        String id = EnvelopeHeaders.text(headers, EnvelopeHeaders.ID).orElseGet(() -> MessageId.derivedFrom(
                position.topic(), Integer.toString(position.partition()), Long.toString(position.offset())).value());
        String correlation = EnvelopeHeaders.text(headers, EnvelopeHeaders.CORRELATION_ID).orElse(id);
        TraceRecord trace = TraceRecord.newBuilder()
                .setMessageId(id).setCorrelationId(correlation)
                .setCausationId(EnvelopeHeaders.text(headers, EnvelopeHeaders.CAUSATION_ID).orElse(null))
                .setSource(EnvelopeHeaders.text(headers, EnvelopeHeaders.SOURCE).orElse(EnvelopeHeaders.UNKNOWN_SOURCE))
                .setTarget(target.toString())
                .setMessageType(EnvelopeHeaders.text(headers, EnvelopeHeaders.TYPE).orElse("?"))
                .setOutcome(outcome).setReason(reason)
                .setTopic(position.topic()).setPartition(position.partition()).setOffset(position.offset())
                .setRecordTime(position.timestamp()).setHandledTime(now)
                .build();
        emit(correlation, trace, position.timestamp());
    }

    private void write(Envelope envelope, RecordPosition position, long now, TraceOutcome outcome, String reason,
                       long micros, List<String> sent) {
        if (!enabled) {
            return;
        }
        // The all-arguments constructor: the builder validates and copies every field again.
        TraceRecord trace = new TraceRecord(envelope.id().value(), envelope.correlation().value(),
                envelope.causation().map(MessageId::value).orElse(null), envelope.sender().map(DomainRef::toString).orElse(null),
                envelope.source(), envelope.subject(), envelope.type(), outcome, reason, envelope.hops(), position.topic(),
                position.partition(), position.offset(), envelope.time().toEpochMilli(), now, micros, sent);
        emit(envelope.correlation().value(), trace, position.timestamp());
    }

    private void emit(String correlation, TraceRecord trace, long timestamp) {
        toTraceTopic.accept(new Record<>(correlation.getBytes(StandardCharsets.UTF_8), codec.encode(trace), timestamp));
    }
}
