package io.ved.envelope.registry;

/** The registry could not be reached or answered with a server error: worth waiting for, not a bad record. */
public class RegistryUnavailableException extends SchemaRegistryException {
    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
