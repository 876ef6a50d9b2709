package io.ved.testkit;

import io.ved.api.CorrelationId;
import io.ved.api.DomainRef;
import io.ved.api.MessageId;
import io.ved.envelope.Envelope;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * A message Ved produced during a test: a send to a domain's inbox or a reply to an outside sender.
 *
 * @param topic    the topic it was produced to
 * @param key      the record key: the target domain id, or for an outside reply the correlation id
 * @param message  the decoded message
 * @param envelope its envelope headers
 */
public record Delivered(String topic, String key, SpecificRecord message, Envelope envelope) {

    /** The addressed domain; empty for a reply to an outside sender. */
    public Optional<DomainRef> target() {
        return envelope.targetDomain();
    }

    public Optional<DomainRef> sender() {
        return envelope.sender();
    }

    public MessageId id() {
        return envelope.id();
    }

    public CorrelationId correlationId() {
        return envelope.correlation();
    }

    public Optional<MessageId> causationId() {
        return envelope.causation();
    }

    public int hops() {
        return envelope.hops();
    }

    /** The message as the given type; fails the test with a readable message when it is another type. */
    public <M extends SpecificRecord> M as(Class<M> type) {
        if (!type.isInstance(message)) {
            throw new AssertionError("expected a " + type.getSimpleName() + " but " + this + " carries a "
                    + message.getClass().getSimpleName());
        }
        return type.cast(message);
    }

    public boolean is(Class<? extends SpecificRecord> type) {
        return type.isInstance(message);
    }

    @Override
    public String toString() {
        return envelope.sender().map(DomainRef::toString).orElse(envelope.source()) + " -> " + envelope.subject()
                + " " + message.getSchema().getName() + message;
    }
}
