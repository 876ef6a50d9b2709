package io.ved.envelope;

/** A record value that is not a Ved message: wrong wire format, unknown schema, or bytes that don't fit it. */
public class UndecodableMessageException extends RuntimeException {
    public UndecodableMessageException(String message) {
        super(message);
    }

    public UndecodableMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
