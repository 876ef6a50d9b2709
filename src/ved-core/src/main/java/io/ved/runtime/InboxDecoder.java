package io.ved.runtime;

import io.ved.api.DomainDefinition;
import io.ved.api.DomainRef;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.MalformedEnvelopeException;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.MessageCodec.WriterSchema;
import io.ved.envelope.RecordPosition;
import io.ved.envelope.UndecodableMessageException;
import io.ved.envelope.Utf8;
import io.ved.envelope.registry.UnknownSchemaException;
import io.ved.envelope.registry.UnusableSchemaException;
import io.ved.runtime.deadletter.DeadLetterReason;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Turns a raw inbox record into an {@link Inbound} message, or rejects it with the reason it can never be
 * handled. The message type comes from the writer's schema, so plain producers need set no header.
 */
final class InboxDecoder {
    private final DomainDefinition<?> domain;
    private final MessageCodec codec;
    private final Map<String, Class<? extends SpecificRecord>> acceptedByName;

    InboxDecoder(DomainDefinition<?> domain, MessageCodec codec) {
        this.domain = domain;
        this.codec = codec;
        this.acceptedByName = domain.accepts().stream()
                .collect(Collectors.toMap(c -> DomainDefinition.schemaOf(c).getFullName(), Function.identity()));
    }

    Inbound decode(byte[] key, byte[] value, Headers headers, RecordPosition position) {
        DomainRef target = target(key);
        WriterSchema writer = writerSchema(value);
        Class<? extends SpecificRecord> messageClass = acceptedByName.get(writer.typeName());
        if (messageClass == null) {
            throw new RejectedMessageException(DeadLetterReason.UNKNOWN_MESSAGE_TYPE, domain.type()
                    + " does not accept " + writer.typeName() + " (it accepts " + acceptedByName.keySet() + ")", null);
        }
        SpecificRecord message;
        try {
            message = codec.decode(value, writer, messageClass);
        } catch (UndecodableMessageException e) {
            throw new RejectedMessageException(DeadLetterReason.UNDECODABLE, e.getMessage(), e);
        }
        try {
            return new Inbound(target, message, EnvelopeHeaders.readOnEntry(headers, position, target, writer.typeName()));
        } catch (MalformedEnvelopeException | IllegalArgumentException e) {
            throw new RejectedMessageException(DeadLetterReason.MALFORMED_ENVELOPE, e.getMessage(), e);
        }
    }

    /** The longest domain id Ved accepts, in UTF-8 bytes: ids are store keys and travel in every header. */
    static final int MAX_KEY_BYTES = 1024;

    /** The record's key as the target instance's id, or the precise reason it cannot be one. */
    DomainRef target(byte[] key) {
        if (key == null || key.length == 0) {
            throw new RejectedMessageException(DeadLetterReason.NO_KEY,
                    "the record has no key: the key must be the id of the target " + domain.type(), null);
        }
        if (key.length > MAX_KEY_BYTES) {
            throw new RejectedMessageException(DeadLetterReason.INVALID_KEY, "the key is " + key.length
                    + " bytes, longer than the " + MAX_KEY_BYTES + " bytes a domain id may have", null);
        }
        String id = Utf8.decode(key).orElseThrow(() -> new RejectedMessageException(DeadLetterReason.INVALID_KEY,
                "the key is not valid UTF-8 text: a domain id is text (the key's bytes are kept in this dead letter)", null));
        if (id.isBlank()) {
            throw new RejectedMessageException(DeadLetterReason.INVALID_KEY,
                    "the key is blank: the key must be the id of the target " + domain.type(), null);
        }
        if (id.chars().anyMatch(Character::isISOControl)) {
            throw new RejectedMessageException(DeadLetterReason.INVALID_KEY,
                    "the key contains control characters: a domain id must be printable text", null);
        }
        try {
            return domain.type().ref(id);
        } catch (IllegalArgumentException e) {
            throw new RejectedMessageException(DeadLetterReason.INVALID_KEY, "the key is not a domain id: " + e.getMessage(), e);
        }
    }

    private WriterSchema writerSchema(byte[] value) {
        try {
            return codec.writerSchemaOf(value);
        } catch (UndecodableMessageException e) {
            DeadLetterReason reason = switch (e.getCause()) {
                case UnknownSchemaException unknown -> DeadLetterReason.UNKNOWN_SCHEMA;
                case UnusableSchemaException unusable -> DeadLetterReason.UNUSABLE_SCHEMA;
                case null, default -> DeadLetterReason.UNDECODABLE;
            };
            throw new RejectedMessageException(reason, e.getMessage(), e);
        }
    }
}
