package io.ved.runtime.storm;

import io.ved.api.DomainType;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.RecordPosition;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A message stopped by storm protection: the record exactly as it arrived (key, bytes, whole envelope) plus
 * why it was stopped, so it can be inspected and released again after a fix.
 */
public record Quarantine(
        Reason reason,
        String detail,
        String cycle,
        int repeats,
        String domain,
        String topic,
        int partition,
        long offset,
        byte[] key,
        byte[] value,
        Headers originalHeaders) {

    public enum Reason { HOP_LIMIT, OSCILLATION }

    public static final String REASON = "ved_storm_reason";
    public static final String DETAIL = "ved_storm_detail";
    public static final String CYCLE = "ved_storm_cycle";
    public static final String REPEATS = "ved_storm_repeats";
    public static final String DOMAIN = "ved_storm_domain";
    public static final String TOPIC = "ved_storm_topic";
    public static final String PARTITION = "ved_storm_partition";
    public static final String OFFSET = "ved_storm_offset";
    private static final String PREFIX = "ved_storm_";

    /** The quarantine record of a stopped message. */
    public static Record<byte[], byte[]> record(Record<byte[], byte[]> original, RecordPosition position, DomainType domain,
                                                Reason reason, String detail, Optional<Oscillation.Cycle> cycle) {
        RecordHeaders headers = EnvelopeHeaders.copy(original.headers());
        EnvelopeHeaders.put(headers, REASON, reason.name());
        EnvelopeHeaders.put(headers, DETAIL, detail);
        cycle.ifPresent(c -> {
            EnvelopeHeaders.put(headers, CYCLE, String.join(" -> ", c.steps()));
            EnvelopeHeaders.put(headers, REPEATS, Integer.toString(c.repeats()));
        });
        EnvelopeHeaders.put(headers, DOMAIN, domain.name());
        EnvelopeHeaders.put(headers, TOPIC, position.topic());
        EnvelopeHeaders.put(headers, PARTITION, Integer.toString(position.partition()));
        EnvelopeHeaders.put(headers, OFFSET, Long.toString(position.offset()));
        return new Record<>(original.key(), original.value(), original.timestamp(), headers);
    }

    /** Reads a record of the storm topic back. */
    public static Quarantine from(byte[] key, byte[] value, Headers headers) {
        RecordHeaders original = new RecordHeaders();
        for (Header h : headers) {
            if (!h.key().startsWith(PREFIX)) {
                original.add(h.key(), h.value());
            }
        }
        return new Quarantine(
                Reason.valueOf(text(headers, REASON).orElse(Reason.HOP_LIMIT.name())),
                text(headers, DETAIL).orElse(""),
                text(headers, CYCLE).orElse(""),
                Integer.parseInt(text(headers, REPEATS).orElse("0")),
                text(headers, DOMAIN).orElse("?"),
                text(headers, TOPIC).orElse("?"),
                Integer.parseInt(text(headers, PARTITION).orElse("-1")),
                Long.parseLong(text(headers, OFFSET).orElse("-1")),
                key, value, original);
    }

    private static Optional<String> text(Headers headers, String name) {
        return EnvelopeHeaders.text(headers, name);
    }
}
