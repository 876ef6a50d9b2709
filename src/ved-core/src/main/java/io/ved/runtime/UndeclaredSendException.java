package io.ved.runtime;

/** A handler sent something its domain definition does not declare: a programming error, dead-lettered. */
public class UndeclaredSendException extends RuntimeException {
    public UndeclaredSendException(String message) {
        super(message);
    }
}
