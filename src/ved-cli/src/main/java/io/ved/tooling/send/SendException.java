package io.ved.tooling.send;

/**
 * Why a {@code ved send} was refused before anything connected. The message is one line the user can act on;
 * the CLI prints it as a usage error.
 */
public abstract sealed class SendException extends RuntimeException permits SendSyntaxException, InvalidMessageException {
    protected SendException(String message) {
        super(message);
    }

    protected SendException(String message, Throwable cause) {
        super(message, cause);
    }
}
