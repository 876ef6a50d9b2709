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
        MessageId id = strictText(headers, ID).map(MessageId::new)
                .orElseGet(() -> MessageId.derivedFrom(position.topic(), Integer.toString(position.partition()),
                        Long.toString(position.offset())));
        Optional<String> declaredType = strictText(headers, TYPE);
        if (declaredType.isPresent() && !declaredType.get().equals(messageType)) {
            throw new MalformedEnvelopeException(TYPE + " header says '" + declaredType.get()
                    + "' but the value's schema is '" + messageType + "'");
        }
        String source = strictText(headers, SOURCE).orElse(UNKNOWN_SOURCE);
        Instant time = strictText(headers, TIME).map(EnvelopeHeaders::instant).orElse(recordTime(position));
        Optional<CorrelationId> correlation = strictText(headers, CORRELATION_ID).map(CorrelationId::new);
        Optional<MessageId> causation = strictText(headers, CAUSATION_ID).map(MessageId::new);
        int hops = strictText(headers, HOPS).map(EnvelopeHeaders::hops).orElse(0);
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
                strictText(headers, CAUSATION_ID).map(MessageId::new), hops(required(headers, HOPS)));
    }

    private static String required(Headers headers, String name) {
        return strictText(headers, name).orElseThrow(() -> new MalformedEnvelopeException("the " + name + " header is missing"));
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

    /**
     * The value of an envelope header as UTF-8 text; empty when absent or blank.
     *
     * @throws MalformedEnvelopeException when the value is not valid UTF-8 (lenient decoding would silently turn it
     *                                    into other text, e.g. another message id)
     */
    static Optional<String> strictText(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        if (h == null || h.value() == null) {
            return Optional.empty();
        }
        String value = Utf8.decode(h.value()).orElseThrow(() -> new MalformedEnvelopeException("the " + name
                + " header is not valid UTF-8 text (" + h.value().length + " bytes)")).trim();
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

    /** The earliest and latest message time Ved accepts: RFC 3339's four-digit years, all within epoch millis. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private static Instant instant(String text) {
        Instant time;
        try {
            time = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new MalformedEnvelopeException(TIME + " header '" + shorten(text) + "' is not an RFC 3339 time such as 2026-01-31T12:00:00Z");
        }
        if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
            throw new MalformedEnvelopeException(TIME + " header '" + shorten(text) + "' is out of range: a message time must lie between "
                    + EARLIEST + " and " + LATEST);
        }
        return time;
    }

    /**
     * A record without {@code ce_time} takes its timestamp, held within the accepted range (Kafka's -1 "no timestamp"
     * counts as the epoch).
     */
    private static Instant recordTime(RecordPosition position) {
        return Instant.ofEpochMilli(Math.min(Math.max(0, position.timestamp()), LATEST.toEpochMilli()));
    }

    private static String shorten(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    private static int hops(String text) {
        try {
            int hops = Integer.parseInt(text);
            if (hops < 0) {
                throw new MalformedEnvelopeException(HOPS + " header must not be negative: " + text);
            }
            return hops;
        } catch (NumberFormatException e) {
            throw new MalformedEnvelopeException(HOPS + " header '" + shorten(text) + "' is not a whole number from 0 to " + Integer.MAX_VALUE);
        }
    }
}
