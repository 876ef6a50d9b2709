package io.ved.runtime.handler;

import io.ved.envelope.Envelope;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The messages whose handler ran past its limit on a stream thread and ignored the interrupt, so that the thread
 * could not be taken back. Whichever process reads such a message next dead-letters it ({@code HANDLER_TIMEOUT})
 * without running the handler again, instead of losing a thread of its own the same way. A message is known by its
 * target and CloudEvents source and id, so a copy waiting in a retry queue is known too.
 *
 * <p>Implementations are thread-safe: the stream threads look up, the watchdog's helper records.
 */
public interface AbandonedMessages {

    /** Why the message was abandoned, if it was; cheap, called before every handler call. Never null. */
    Optional<String> why(Envelope message);

    /**
     * Records the message as abandoned; returns once the record is durable (for the Kafka-backed record: written to
     * its topic with acks=all).
     *
     * @throws RuntimeException when the record cannot be made durable; the caller logs it and goes on
     */
    void record(Envelope message, String why);

    /** The key a message is recorded under: target, source and id, which CloudEvents says identify an event. */
    static String keyOf(Envelope message) {
        return message.subject() + " " + message.source() + " " + message.id();
    }

    /** A record that lives as long as the process: for the test kit and the replayer, which have no broker. */
    static AbandonedMessages inMemory() {
        Map<String, String> known = new ConcurrentHashMap<>();
        return new AbandonedMessages() {
            @Override
            public Optional<String> why(Envelope message) {
                return known.isEmpty() ? Optional.empty() : Optional.ofNullable(known.get(keyOf(message)));
            }

            @Override
            public void record(Envelope message, String why) {
                known.put(keyOf(message), why);
            }
        };
    }
}
