package io.ved.runtime;

import io.ved.runtime.deadletter.DeadLetterReason;

/** A record that cannot be handled and must go to the dead-letter topic, with the reason why. */
final class RejectedMessageException extends RuntimeException {
    private final DeadLetterReason reason;

    RejectedMessageException(DeadLetterReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    DeadLetterReason reason() {
        return reason;
    }
}
