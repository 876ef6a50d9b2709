package io.ved.runtime;

import io.ved.api.Context;
import io.ved.api.CorrelationId;
import io.ved.api.DomainDefinition;
import io.ved.api.DomainRef;
import io.ved.api.MessageId;
import io.ved.api.TimerId;
import java.time.Duration;
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
    private final List<Outgoing> timed = new ArrayList<>();
    private final List<TimerId> cancelled = new ArrayList<>();
    private int idsGiven;
    private boolean ended;

    HandlingContext(DomainDefinition<?> domain, DomainCatalog catalog, Envelope envelope, DomainRef self) {
        this.domain = domain;
        this.catalog = catalog;
        this.envelope = envelope;
        this.self = self;
        this.sender = catalog.topicOf(domain.type()).policy().trustsSenders() ? envelope.sender() : Optional.empty();
    }

    /**
     * The sender the envelope names, when the inbox's writers are trusted to name it ({@code writers: ved}); else
     * empty: a {@code ce_source} is just a header any producer can set, so the message counts as one from outside.
     */
    private final Optional<DomainRef> sender;

    @Override
    public DomainRef self() {
        return self;
    }

    @Override
    public Optional<DomainRef> sender() {
        return sender;
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
        checkDeclared(target, message);
        sendTo(target, message);
    }

    private void checkDeclared(DomainRef target, SpecificRecord message) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(message, "message");
        if (!domain.declaresSend(target.type(), message.getClass())) {
            throw new UndeclaredSendException(self + " sent " + message.getClass().getSimpleName() + " to " + target
                    + ", but " + domain.type() + " does not declare that send: add .sends(" + target.type()
                    + ", " + message.getClass().getSimpleName() + ".class) to its definition");
        }
    }

    @Override
    public TimerId sendAfter(Duration delay, DomainRef target, SpecificRecord message) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("a timer's delay must not be negative: " + delay);
        }
        return sendAt(envelope.time().plus(delay), target, message);
    }

    @Override
    public TimerId sendAt(Instant time, DomainRef target, SpecificRecord message) {
        Objects.requireNonNull(time, "time");
        checkDeclared(target, message);
        // Derived from the handling instance and the target too: two outside senders that reuse one ce_id for messages
        // to two instances must not get one timer id, or the second timer would overwrite the first.
        MessageId timerId = MessageId.derivedFrom(envelope.id().value(), "timer", self.toString(), target.toString(),
                Integer.toString(idsGiven++));
        Envelope child = envelope.timer(timerId, message.getSchema().getFullName(), self, target, time);
        timed.add(new Outgoing(topicOf(target, message), target.id(), message, child));
        return new TimerId(child.id().value());
    }

    @Override
    public void cancelTimer(TimerId timer) {
        cancelled.add(Objects.requireNonNull(timer, "timer"));
    }

    @Override
    public void end() {
        ended = true;
    }

    boolean ended() {
        return ended;
    }

    @Override
    public void reply(SpecificRecord message) {
        Objects.requireNonNull(message, "message");
        if (!domain.replies().contains(message.getClass())) {
            throw new UndeclaredSendException(self + " replied " + message.getClass().getSimpleName() + ", but "
                    + domain.type() + " does not declare that reply: add .replies(" + message.getClass().getSimpleName()
                    + ".class) to its definition");
        }
        sender.ifPresentOrElse(to -> sendTo(to, message), () -> replyOutside(message));
    }

    private void sendTo(DomainRef target, SpecificRecord message) {
        Envelope child = envelope.child(nextId(), message.getSchema().getFullName(), self, target, envelope.time());
        outgoing.add(new Outgoing(topicOf(target, message), target.id(), message, child));
    }

    private String topicOf(DomainRef target, SpecificRecord message) {
        return catalog.topologyFile().domain(target.type())
                .orElseThrow(() -> new UndeclaredSendException(self + " sent " + message.getClass().getSimpleName()
                        + " to " + target + ", but " + target.type() + " is not a domain type of the topology file"))
                .topic();
    }

    private void replyOutside(SpecificRecord message) {
        Envelope reply = envelope.replyToOutside(nextId(), message.getSchema().getFullName(), self, envelope.time());
        outgoing.add(new Outgoing(catalog.topologyFile().replyTopic(), envelope.correlation().value(), message, reply));
    }

    private MessageId nextId() {
        return MessageId.derivedFrom(envelope.id().value(), "send", Integer.toString(idsGiven++));
    }

    List<Outgoing> outgoing() {
        return List.copyOf(outgoing);
    }

    /** Sends to make later, each with its due time as its envelope time. */
    List<Outgoing> timed() {
        return List.copyOf(timed);
    }

    List<TimerId> cancelledTimers() {
        return List.copyOf(cancelled);
    }
}
