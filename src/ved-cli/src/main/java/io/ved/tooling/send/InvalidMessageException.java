package io.ved.tooling.send;

/**
 * The send reads fine but does not fit: an unknown domain type, a message type the target does not accept,
 * or a field that does not match the message's schema. The message lists what would have been accepted.
 */
public final class InvalidMessageException extends SendException {
    public InvalidMessageException(String message) {
        super(message);
    }
}
