package io.ved.runtime.deadletter;

import io.ved.api.DomainType;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.RecordPosition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;

/** Builds the dead letter of a record: its own key, bytes and headers, plus headers saying why and where. */
public final class DeadLetters {
    private static final int MAX_ERROR_LENGTH = 2000;

    private DeadLetters() {
    }

    public static Record<byte[], byte[]> of(Record<byte[], byte[]> original, RecordPosition position, DomainType domain,
                                            DeadLetterReason reason, Throwable error, int attempts) {
        RecordHeaders headers = EnvelopeHeaders.copy(original.headers());
        EnvelopeHeaders.put(headers, DeadLetterHeaders.REASON, reason.name());
        EnvelopeHeaders.put(headers, DeadLetterHeaders.ERROR, describe(error));
        EnvelopeHeaders.put(headers, DeadLetterHeaders.DOMAIN, domain.name());
        EnvelopeHeaders.put(headers, DeadLetterHeaders.TOPIC, position.topic());
        EnvelopeHeaders.put(headers, DeadLetterHeaders.PARTITION, Integer.toString(position.partition()));
        EnvelopeHeaders.put(headers, DeadLetterHeaders.OFFSET, Long.toString(position.offset()));
        EnvelopeHeaders.put(headers, DeadLetterHeaders.ATTEMPTS, Integer.toString(attempts));
        return new Record<>(original.key(), original.value(), original.timestamp(), headers);
    }

    /** The error as "Class: message", with causes, bounded so one dead letter can't exceed the record size limit. */
    static String describe(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null && text.length() < MAX_ERROR_LENGTH; t = t.getCause() == t ? null : t.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- caused by ");
            }
            text.append(t.getClass().getName()).append(": ").append(t.getMessage());
        }
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) + "..." : text.toString();
    }
}
