package io.ved.runtime;

import io.ved.api.Context;
import io.ved.api.CorrelationId;
import io.ved.api.DomainDefinition;
import io.ved.api.DomainRef;
import io.ved.api.MessageId;
import io.ved.envelope.Envelope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * The context of one handler call. It checks each send against the domain's declarations and buffers it;
 * ids of sent messages derive from the handled message's id and the send's position, so a replay of
 * the same mailbox produces the same ids.
 */
final class HandlingContext implements Context {
    private final DomainDefinition<?> domain;
    private final DomainCatalog catalog;
    private final Envelope envelope;
    private final DomainRef self;
    private final List<Outgoing> outgoing = new ArrayList<>();

    HandlingContext(DomainDefinition<?> domain, DomainCatalog catalog, Envelope envelope, DomainRef self) {
        this.domain = domain;
        this.catalog = catalog;
        this.envelope = envelope;
        this.self = self;
    }

    @Override
    public DomainRef self() {
        return self;
    }

    @Override
    public Optional<DomainRef> sender() {
        return envelope.sender();
    }

    @Override
    public MessageId messageId() {
        return envelope.id();
    }

    @Override
    public CorrelationId correlationId() {
        return envelope.correlation();
    }

    @Override
    public Optional<MessageId> causationId() {
        return envelope.causation();
    }

    @Override
    public int hops() {
        return envelope.hops();
    }

    @Override
    public Instant now() {
        return envelope.time();
    }

    @Override
    public void send(DomainRef target, SpecificRecord message) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(message, "message");
        if (!domain.declaresSend(target.type(), message.getClass())) {
            throw new UndeclaredSendException(self + " sent " + message.getClass().getSimpleName() + " to " + target
                    + ", but " + domain.type() + " does not declare that send: add .sends(" + target.type()
                    + ", " + message.getClass().getSimpleName() + ".class) to its definition");
        }
        sendTo(target, message);
    }

    @Override
    public void reply(SpecificRecord message) {
        Objects.requireNonNull(message, "message");
        if (!domain.replies().contains(message.getClass())) {
            throw new UndeclaredSendException(self + " replied " + message.getClass().getSimpleName() + ", but "
                    + domain.type() + " does not declare that reply: add .replies(" + message.getClass().getSimpleName()
                    + ".class) to its definition");
        }
        envelope.sender().ifPresentOrElse(sender -> sendTo(sender, message), () -> replyOutside(message));
    }

    private void sendTo(DomainRef target, SpecificRecord message) {
        String topic = catalog.topologyFile().domain(target.type())
                .orElseThrow(() -> new UndeclaredSendException(self + " sent " + message.getClass().getSimpleName()
                        + " to " + target + ", but " + target.type() + " is not a domain type of the topology file"))
                .topic();
        Envelope child = envelope.child(nextId(), message.getSchema().getFullName(), self, target, envelope.time());
        outgoing.add(new Outgoing(topic, target.id(), message, child));
    }

    private void replyOutside(SpecificRecord message) {
        Envelope reply = envelope.replyToOutside(nextId(), message.getSchema().getFullName(), self, envelope.time());
        outgoing.add(new Outgoing(catalog.topologyFile().replyTopic(), envelope.correlation().value(), message, reply));
    }

    private MessageId nextId() {
        return MessageId.derivedFrom(envelope.id().value(), "send", Integer.toString(outgoing.size()));
    }

    List<Outgoing> outgoing() {
        return List.copyOf(outgoing);
    }
}
