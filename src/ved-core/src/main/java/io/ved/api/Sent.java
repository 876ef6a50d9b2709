package io.ved.api;

/**
 * The ids given to a message sent from outside Ved: follow its correlation to find everything it caused.
 *
 * @param partition the inbox partition it was written to (-1 where not known, as in the test kit)
 * @param offset    its offset there (-1 where not known)
 */
public record Sent(MessageId id, CorrelationId correlationId, int partition, long offset) {
    public Sent(MessageId id, CorrelationId correlationId) {
        this(id, correlationId, -1, -1L);
    }
}
