package io.ved.envelope;

import io.ved.api.CorrelationId;
import io.ved.api.DomainRef;
import io.ved.api.MessageId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The metadata that travels with every message, in record headers beside the Avro value.
 *
 * @param id          this message's id
 * @param type        the full Avro name of the message (CloudEvents {@code type})
 * @param sender      the sending domain; empty for messages from outside Ved
 * @param source      CloudEvents {@code source}: the sender's address as a URI reference, or the external producer's
 * @param subject     CloudEvents {@code subject}: the addressed domain instance ({@code InventoryDomain[88]}),
 *                    or, for a reply to a sender outside Ved, that sender's source
 * @param time        when the message was sent; a handler's {@code now()}
 * @param correlation the chain this message belongs to
 * @param causation   the message whose handling sent this one; empty for a root message
 * @param hops        the number of sends between the root message and this one
 */
public record Envelope(
        MessageId id,
        String type,
        Optional<DomainRef> sender,
        String source,
        String subject,
        Instant time,
        CorrelationId correlation,
        Optional<MessageId> causation,
        int hops) {

    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(correlation, "correlation");
        Objects.requireNonNull(causation, "causation");
        if (hops < 0) {
            throw new IllegalArgumentException("hops must not be negative: " + hops);
        }
    }

    /** The envelope of a message sent while handling this one: same correlation, caused by this, one hop further. */
    public Envelope child(MessageId childId, String childType, DomainRef from, DomainRef to, Instant at) {
        return new Envelope(childId, childType, Optional.of(from), SourceUri.of(from), to.toString(), at,
                correlation, Optional.of(id), hops + 1);
    }

    /**
     * The envelope of a timer set while handling this one: same correlation, caused by this, but hop 0, since a
     * fired timer starts a new chain for storm protection (a heartbeat that reschedules itself is not a loop).
     */
    public Envelope timer(MessageId timerId, String timerType, DomainRef from, DomainRef to, Instant due) {
        return new Envelope(timerId, timerType, Optional.of(from), SourceUri.of(from), to.toString(), due,
                correlation, Optional.of(id), 0);
    }

    /** The envelope of a reply to a sender outside Ved: addressed to its source, on the application's reply topic. */
    public Envelope replyToOutside(MessageId replyId, String replyType, DomainRef from, Instant at) {
        return new Envelope(replyId, replyType, Optional.of(from), SourceUri.of(from), source, at,
                correlation, Optional.of(id), hops + 1);
    }

    /** The addressed domain, when the subject names one. */
    public Optional<DomainRef> targetDomain() {
        try {
            return Optional.of(DomainRef.parse(subject));
        } catch (IllegalArgumentException notADomain) {
            return Optional.empty();
        }
    }

    /** The envelope of a message entering Ved from outside, which starts its own correlation unless given one. */
    public static Envelope root(MessageId id, String type, String source, DomainRef target, Instant time,
                                Optional<CorrelationId> correlation) {
        return new Envelope(id, type, Optional.empty(), source, target.toString(), time,
                correlation.orElse(CorrelationId.startedBy(id)), Optional.empty(), 0);
    }
}
