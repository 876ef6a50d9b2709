package io.ved.runtime;

import io.ved.api.DomainDefinition;
import io.ved.api.DomainRef;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.MalformedEnvelopeException;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.MessageCodec.WriterSchema;
import io.ved.envelope.RecordPosition;
import io.ved.envelope.UndecodableMessageException;
import io.ved.envelope.registry.UnknownSchemaException;
import io.ved.runtime.deadletter.DeadLetterReason;
import java.nio.charset.StandardCharsets;
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

    private DomainRef target(byte[] key) {
        if (key == null || key.length == 0) {
            throw new RejectedMessageException(DeadLetterReason.NO_KEY,
                    "the record has no key: the key must be the id of the target " + domain.type(), null);
        }
        try {
            return domain.type().ref(new String(key, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new RejectedMessageException(DeadLetterReason.NO_KEY, "the key is not a domain id: " + e.getMessage(), e);
        }
    }

    private WriterSchema writerSchema(byte[] value) {
        try {
            return codec.writerSchemaOf(value);
        } catch (UndecodableMessageException e) {
            DeadLetterReason reason = e.getCause() instanceof UnknownSchemaException
                    ? DeadLetterReason.UNKNOWN_SCHEMA : DeadLetterReason.UNDECODABLE;
            throw new RejectedMessageException(reason, e.getMessage(), e);
        }
    }
}
