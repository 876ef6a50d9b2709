package io.ved.runtime;

import io.ved.runtime.deadletter.DeadLetterReason;

/** The mailbox's own rejection exception, for tests outside this package that write dead letters as the runtime does. */
public final class Rejections {
    private Rejections() {
    }

    public static RuntimeException rejected(DeadLetterReason reason, String message) {
        return new RejectedMessageException(reason, message, null);
    }
}
