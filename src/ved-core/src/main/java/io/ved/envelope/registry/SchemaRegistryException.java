package io.ved.envelope.registry;

/** Base of the registry failures Ved tells apart: unknown ids, refused schemas, an unreachable registry. */
public class SchemaRegistryException extends RuntimeException {
    public SchemaRegistryException(String message) {
        super(message);
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
