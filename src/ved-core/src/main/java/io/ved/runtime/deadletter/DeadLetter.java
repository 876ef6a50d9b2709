package io.ved.runtime.deadletter;

import io.ved.envelope.EnvelopeHeaders;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record read back from the dead-letter topic: why it failed, where it came from, and the original
 * key, value and headers exactly as they arrived.
 */
public record DeadLetter(
        DeadLetterReason reason,
        String error,
        String domain,
        String topic,
        int partition,
        long offset,
        int attempts,
        byte[] key,
        byte[] value,
        Headers originalHeaders) {

    /** Reads a dead letter from a record of the dead-letter topic. */
    public static DeadLetter from(byte[] key, byte[] value, Headers headers) {
        RecordHeaders original = new RecordHeaders();
        for (Header h : headers) {
            if (!h.key().startsWith("ved_dlq_")) {
                original.add(h.key(), h.value());
            }
        }
        return new DeadLetter(
                DeadLetterReason.valueOf(text(headers, DeadLetterHeaders.REASON).orElse(DeadLetterReason.UNDECODABLE.name())),
                text(headers, DeadLetterHeaders.ERROR).orElse(""),
                text(headers, DeadLetterHeaders.DOMAIN).orElse("?"),
                text(headers, DeadLetterHeaders.TOPIC).orElse("?"),
                Integer.parseInt(text(headers, DeadLetterHeaders.PARTITION).orElse("-1")),
                Long.parseLong(text(headers, DeadLetterHeaders.OFFSET).orElse("-1")),
                Integer.parseInt(text(headers, DeadLetterHeaders.ATTEMPTS).orElse("0")),
                key, value, original);
    }

    /** The original message type, if its envelope said. */
    public Optional<String> messageType() {
        return text(originalHeaders, EnvelopeHeaders.TYPE);
    }

    private static Optional<String> text(Headers headers, String name) {
        return EnvelopeHeaders.text(headers, name);
    }
}
