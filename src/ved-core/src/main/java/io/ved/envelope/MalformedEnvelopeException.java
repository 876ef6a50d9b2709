package io.ved.envelope;

/** A record whose envelope headers are present but unreadable: it is dead-lettered, never guessed at. */
public class MalformedEnvelopeException extends RuntimeException {
    public MalformedEnvelopeException(String message) {
        super(message);
    }
}
