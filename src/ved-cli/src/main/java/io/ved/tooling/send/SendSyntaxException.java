package io.ved.tooling.send;

/** The text (or JSON) of a send cannot be read; the message names the column and what was expected there. */
public final class SendSyntaxException extends SendException {
    public SendSyntaxException(String message) {
        super(message);
    }

    public SendSyntaxException(String message, Throwable cause) {
        super(message, cause);
    }
}
