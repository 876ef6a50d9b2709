package io.ved.envelope;

import io.ved.api.CorrelationId;
import io.ved.api.DomainRef;
import io.ved.api.MessageId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reads and writes the envelope as Kafka record headers, in CloudEvents Kafka binary-mode names plus
 * three extension attributes, so CloudEvents-aware tools can read Ved messages as they are.
 */
public final class EnvelopeHeaders {
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String SUBJECT = "ce_subject";
    public static final String TIME = "ce_time";
    public static final String CORRELATION_ID = "ce_correlationid";
    public static final String CAUSATION_ID = "ce_causationid";
    public static final String HOPS = "ce_hops";
    public static final String CONTENT_TYPE = "content-type";
    public static final String AVRO_CONTENT_TYPE = "application/avro";
    /** The source written by producers that do not say who they are. */
    public static final String UNKNOWN_SOURCE = "/external";

    private EnvelopeHeaders() {
    }

    /** Replaces any envelope headers already present with the given envelope. */
    public static void write(Envelope envelope, Headers headers) {
        put(headers, SPEC_VERSION, "1.0");
        put(headers, ID, envelope.id().value());
        put(headers, TYPE, envelope.type());
        put(headers, SOURCE, envelope.source());
        put(headers, SUBJECT, envelope.subject());
        put(headers, TIME, envelope.time().toString());
        put(headers, CORRELATION_ID, envelope.correlation().value());
        envelope.causation().ifPresentOrElse(c -> put(headers, CAUSATION_ID, c.value()), () -> headers.remove(CAUSATION_ID));
        put(headers, HOPS, Integer.toString(envelope.hops()));
        put(headers, CONTENT_TYPE, AVRO_CONTENT_TYPE);
    }

    /**
     * The envelope of a record arriving in a domain's inbox. Missing attributes get values on entry: the id is
     * derived from the record's position, so a replay of the same topic assigns the same id; the time is the
     * record's timestamp; the message starts its own correlation.
     *
     * @throws MalformedEnvelopeException when a header is present but cannot be read
     */
    public static Envelope readOnEntry(Headers headers, RecordPosition position, DomainRef target, String messageType) {
        MessageId id = text(headers, ID).map(MessageId::new)
                .orElseGet(() -> MessageId.derivedFrom(position.topic(), Integer.toString(position.partition()),
                        Long.toString(position.offset())));
        Optional<String> declaredType = text(headers, TYPE);
        if (declaredType.isPresent() && !declaredType.get().equals(messageType)) {
            throw new MalformedEnvelopeException(TYPE + " header says '" + declaredType.get()
                    + "' but the value's schema is '" + messageType + "'");
        }
        String source = text(headers, SOURCE).orElse(UNKNOWN_SOURCE);
        Instant time = text(headers, TIME).map(EnvelopeHeaders::instant).orElse(Instant.ofEpochMilli(position.timestamp()));
        Optional<CorrelationId> correlation = text(headers, CORRELATION_ID).map(CorrelationId::new);
        Optional<MessageId> causation = text(headers, CAUSATION_ID).map(MessageId::new);
        int hops = text(headers, HOPS).map(EnvelopeHeaders::hops).orElse(0);
        return new Envelope(id, messageType, SourceUri.parse(source), source, target.toString(), time,
                correlation.orElse(CorrelationId.startedBy(id)), causation, hops);
    }

    /**
     * The envelope of a record Ved itself wrote (a send, a reply, a dead letter's original), where every
     * attribute must be present.
     *
     * @throws MalformedEnvelopeException naming the first attribute that is missing or unreadable
     */
    public static Envelope read(Headers headers) {
        String source = required(headers, SOURCE);
        return new Envelope(new MessageId(required(headers, ID)), required(headers, TYPE), SourceUri.parse(source), source,
                required(headers, SUBJECT), instant(required(headers, TIME)), new CorrelationId(required(headers, CORRELATION_ID)),
                text(headers, CAUSATION_ID).map(MessageId::new), hops(required(headers, HOPS)));
    }

    private static String required(Headers headers, String name) {
        return text(headers, name).orElseThrow(() -> new MalformedEnvelopeException("the " + name + " header is missing"));
    }

    /** The value of a header as UTF-8 text; empty when absent or blank. */
    public static Optional<String> text(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        if (h == null || h.value() == null) {
            return Optional.empty();
        }
        String value = new String(h.value(), StandardCharsets.UTF_8).trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** A mutable copy, for records that carry a message on together with notes about it. */
    public static org.apache.kafka.common.header.internals.RecordHeaders copy(Headers headers) {
        org.apache.kafka.common.header.internals.RecordHeaders copy = new org.apache.kafka.common.header.internals.RecordHeaders();
        for (Header h : headers) {
            copy.add(h.key(), h.value());
        }
        return copy;
    }

    public static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new MalformedEnvelopeException(TIME + " header '" + text + "' is not an RFC 3339 time such as 2026-01-31T12:00:00Z");
        }
    }

    private static int hops(String text) {
        try {
            int hops = Integer.parseInt(text);
            if (hops < 0) {
                throw new MalformedEnvelopeException(HOPS + " header must not be negative: " + text);
            }
            return hops;
        } catch (NumberFormatException e) {
            throw new MalformedEnvelopeException(HOPS + " header '" + text + "' is not a whole number");
        }
    }
}
