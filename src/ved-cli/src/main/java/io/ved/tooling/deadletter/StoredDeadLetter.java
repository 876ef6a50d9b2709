package io.ved.tooling.deadletter;

import io.ved.api.MessageId;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.runtime.deadletter.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * One record of the dead-letter topic, as the tools show it.
 *
 * @param id          where it sits in the dead-letter topic, which is how the user names it
 * @param time        the record's time (the original record's time: a dead letter keeps it)
 * @param letter      the dead letter: reason, error, origin, and the original key, bytes and headers
 * @param messageType the original message type: its {@code ce_type} header, else the writer schema's full
 *                    name when the value names a schema the registry knows, else {@code ?}
 */
public record StoredDeadLetter(DeadLetterId id, Instant time, DeadLetter letter, String messageType) {
    public static final String UNKNOWN_TYPE = "?";

    /** The original correlation id, when its envelope had one. */
    public Optional<String> correlationId() {
        return EnvelopeHeaders.text(letter.originalHeaders(), EnvelopeHeaders.CORRELATION_ID);
    }

    /** The original message id ({@code ce_id}), when its envelope had one. */
    public Optional<MessageId> messageId() {
        return EnvelopeHeaders.text(letter.originalHeaders(), EnvelopeHeaders.ID).map(MessageId::new);
    }

    /**
     * The id the original message had in Ved: its {@code ce_id}, or, for a record that came without one, the id
     * derived on entry from its inbox position (the id its handler saw as {@code messageId()}).
     */
    public Optional<MessageId> messageIdOnEntry() {
        return messageId().or(() -> letter.topic().equals("?") || letter.partition() < 0 || letter.offset() < 0
                ? Optional.empty()
                : Optional.of(MessageId.derivedFrom(letter.topic(), Integer.toString(letter.partition()),
                        Long.toString(letter.offset()))));
    }

    /** The original key as text (the target domain id); empty when the record had none. */
    public Optional<String> key() {
        return letter.key() == null || letter.key().length == 0 ? Optional.empty()
                : Optional.of(new String(letter.key(), StandardCharsets.UTF_8));
    }

    /** The message type without its namespace, for tables. */
    public String simpleMessageType() {
        int dot = messageType.lastIndexOf('.');
        return dot < 0 ? messageType : messageType.substring(dot + 1);
    }
}
