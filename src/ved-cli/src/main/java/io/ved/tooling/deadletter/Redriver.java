package io.ved.tooling.deadletter;

import io.ved.api.DomainDefinition;
import io.ved.api.DomainRef;
import io.ved.api.DomainType;
import io.ved.api.MessageId;
import io.ved.envelope.Envelope;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.MalformedEnvelopeException;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.MessageCodec.WriterSchema;
import io.ved.envelope.RecordPosition;
import io.ved.envelope.UndecodableMessageException;
import io.ved.envelope.registry.RegistryUnavailableException;
import io.ved.envelope.registry.SchemaRegistryException;
import io.ved.envelope.registry.UnknownSchemaException;
import io.ved.runtime.DomainCatalog;
import io.ved.runtime.deadletter.DeadLetterReason;
import io.ved.runtime.topology.DomainTopic;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sends dead letters back to their domain's inbox, once it is checked that they would decode now.
 *
 * <p>A redriven record is the dead letter's original: the same key and value bytes and the same envelope
 * headers, except that it is a new message, so it gets a new message id ({@code ce_id}); it stays in the
 * original's correlation ({@code ce_correlationid}, or the original's id when it started its own), names the
 * original as its cause ({@code ce_causationid}), and keeps its hops. The {@code ved_dlq_*} headers are dropped.
 *
 * <p>"Would decode now" is what the mailbox checks first: a key, a value in the wire format whose schema id
 * the registry knows and whose bytes fit that schema, a message type the target domain accepts, and readable
 * envelope headers. A dead letter that fails a check would only be dead-lettered again, so it is refused.
 * Nothing checks whether the handler would now succeed: that is the point of redriving.
 */
public final class Redriver {
    private final DomainCatalog catalog;
    private final MessageCodec codec;
    private final Supplier<MessageId> newIds;

    public Redriver(DomainCatalog catalog, MessageCodec codec) {
        this(catalog, codec, MessageId::random);
    }

    Redriver(DomainCatalog catalog, MessageCodec codec, Supplier<MessageId> newIds) {
        this.catalog = catalog;
        this.codec = codec;
        this.newIds = newIds;
    }

    /** What redriving one dead letter comes to: a record ready to send, or a refusal with the reason. */
    public sealed interface Plan permits Ready, Refused {
        StoredDeadLetter source();
    }

    /**
     * @param envelope the envelope the target will read from {@code headers}: new id, correlation, causation, hops
     */
    public record Ready(StoredDeadLetter source, DomainRef target, String topic, String messageType, Envelope envelope,
                        Headers headers) implements Plan {
        public MessageId newId() {
            return envelope.id();
        }

        public ProducerRecord<byte[], byte[]> record() {
            return new ProducerRecord<>(topic, null, null, source.letter().key(), source.letter().value(), headers);
        }
    }

    /** @param wouldBe the reason it would be dead-lettered again */
    public record Refused(StoredDeadLetter source, DeadLetterReason wouldBe, String detail) implements Plan {
        public String reason() {
            return wouldBe.name() + ": " + detail;
        }
    }

    /**
     * Checks one dead letter against the domains and the registry as they are now.
     *
     * @throws RegistryUnavailableException when the registry does not answer: no verdict is possible then
     */
    public Plan plan(StoredDeadLetter letter) {
        DomainType type;
        try {
            type = DomainType.named(letter.letter().domain());
        } catch (IllegalArgumentException e) {
            return refused(letter, DeadLetterReason.MALFORMED_ENVELOPE,
                    "the dead letter does not name its domain type (ved_dlq_domain is '" + letter.letter().domain() + "')");
        }
        Optional<DomainTopic> inbox = catalog.topologyFile().domain(type);
        if (inbox.isEmpty()) {
            return refused(letter, DeadLetterReason.UNKNOWN_MESSAGE_TYPE, type + " has no inbox in topology '"
                    + catalog.topologyFile().application() + "' (known: " + catalog.topologyFile().typeNames() + ")");
        }
        Optional<DomainDefinition<?>> domain = catalog.local(type);
        if (domain.isEmpty()) {
            return refused(letter, DeadLetterReason.UNKNOWN_MESSAGE_TYPE, type + " is not among the domains given,"
                    + " so what it accepts is unknown: give the domains of the application that runs it");
        }
        Optional<String> key = letter.key();
        if (key.isEmpty()) {
            return refused(letter, DeadLetterReason.NO_KEY, "the record has no key: the key must be the id of the target " + type);
        }
        DomainRef target;
        try {
            target = type.ref(key.get());
        } catch (IllegalArgumentException e) {
            return refused(letter, DeadLetterReason.NO_KEY, "the key is not a domain id: " + e.getMessage());
        }
        WriterSchema writer;
        try {
            writer = codec.writerSchemaOf(letter.letter().value());
        } catch (UndecodableMessageException e) {
            return refused(letter, e.getCause() instanceof UnknownSchemaException
                    ? DeadLetterReason.UNKNOWN_SCHEMA : DeadLetterReason.UNDECODABLE, e.getMessage());
        } catch (RegistryUnavailableException e) {
            throw e;
        } catch (SchemaRegistryException e) {
            return refused(letter, DeadLetterReason.UNDECODABLE, e.getMessage());
        }
        Map<String, Class<? extends SpecificRecord>> accepted = new TreeMap<>();
        domain.get().accepts().forEach(c -> accepted.put(DomainDefinition.schemaOf(c).getFullName(), c));
        Class<? extends SpecificRecord> messageClass = accepted.get(writer.typeName());
        if (messageClass == null) {
            return refused(letter, DeadLetterReason.UNKNOWN_MESSAGE_TYPE,
                    type + " does not accept " + writer.typeName() + " (it accepts " + accepted.keySet() + ")");
        }
        try {
            codec.decode(letter.letter().value(), writer, messageClass);
        } catch (UndecodableMessageException e) {
            return refused(letter, DeadLetterReason.UNDECODABLE, e.getMessage());
        }
        Headers headers = headers(letter, newIds.get());
        Envelope envelope;
        try {
            envelope = EnvelopeHeaders.readOnEntry(headers, new RecordPosition(inbox.get().topic(), -1, -1,
                    Instant.now().toEpochMilli()), target, writer.typeName());
        } catch (MalformedEnvelopeException | IllegalArgumentException e) {
            return refused(letter, DeadLetterReason.MALFORMED_ENVELOPE, e.getMessage());
        }
        return new Ready(letter, target, inbox.get().topic(), writer.typeName(), envelope, headers);
    }

    /**
     * The headers of the redriven record: the original's, without {@code ved_dlq_*}, with a new message id, the
     * original's correlation (or its id when it had none), and the original's id as the cause.
     */
    public static Headers headers(StoredDeadLetter letter, MessageId newId) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : letter.letter().originalHeaders()) {
            if (!h.key().startsWith("ved_dlq_")) {
                headers.add(h.key(), h.value());
            }
        }
        Optional<MessageId> original = letter.messageIdOnEntry();
        EnvelopeHeaders.put(headers, EnvelopeHeaders.ID, newId.value());
        letter.correlationId().or(() -> original.map(MessageId::value))
                .ifPresent(c -> EnvelopeHeaders.put(headers, EnvelopeHeaders.CORRELATION_ID, c));
        original.ifPresentOrElse(c -> EnvelopeHeaders.put(headers, EnvelopeHeaders.CAUSATION_ID, c.value()),
                () -> headers.remove(EnvelopeHeaders.CAUSATION_ID));
        return headers;
    }


    private static Refused refused(StoredDeadLetter letter, DeadLetterReason reason, String detail) {
        return new Refused(letter, reason, detail);
    }
}
