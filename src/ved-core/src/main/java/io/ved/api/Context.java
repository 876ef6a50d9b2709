package io.ved.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * What a handler may know and do while handling one message. Sends are buffered and only leave when the
 * handler returns normally, in the same transaction as the new state: a handler that throws sends nothing.
 */
public interface Context {

    /** The instance handling the message. */
    DomainRef self();

    /** The domain that sent the message; empty when it came from outside Ved (a plain producer, the CLI). */
    Optional<DomainRef> sender();

    MessageId messageId();

    CorrelationId correlationId();

    /** The id of the message whose handling sent this one; empty for a root message. */
    Optional<MessageId> causationId();

    /** How many sends led to this message: 0 for a message from outside. */
    int hops();

    /** The message's own time, never the wall clock, so replays see the same "now". */
    Instant now();

    /** Sends a message to another domain instance (or to this one). Delivered later, in its own execution slice. */
    void send(DomainRef target, SpecificRecord message);

    /**
     * Sends a message later: a durable timer, stored with this handler's effects and fired once, after the
     * delay, even across restarts. The delay counts from this message's time, and the receiver's {@code now()}
     * is the due time.
     */
    TimerId sendAfter(Duration delay, DomainRef target, SpecificRecord message);

    /** Sends a message at a given time (see {@link #sendAfter}); a time in the past fires at once. */
    TimerId sendAt(Instant time, DomainRef target, SpecificRecord message);

    /**
     * Cancels a timer this domain type scheduled, if it has not fired yet. Takes effect only if this handler
     * returns normally, like every other effect.
     */
    void cancelTimer(TimerId timer);

    /**
     * Sends a message back to the sender. When the message came from outside Ved, the reply goes to the
     * application's reply topic, keyed by correlation id, where the external sender can read it.
     */
    void reply(SpecificRecord message);

    /**
     * Ends this instance: when the handler returns normally, its stored state is deleted (the state it returns is
     * ignored and may be null), so ids that will never be used again keep nothing. Its sends and timers still go; a
     * later message to the same id starts again from the initial state. Like every effect, nothing happens if the
     * handler throws.
     */
    void end();
}
