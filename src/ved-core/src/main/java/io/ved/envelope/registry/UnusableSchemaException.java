package io.ved.envelope.registry;

/**
 * The registry answered for a schema id, but with nothing Ved can decode by: a JSON Schema or Protobuf schema, an
 * invalid Avro schema, or a client error about that id. A record naming the id is dead-lettered; the registry itself
 * works, so processing goes on.
 */
public class UnusableSchemaException extends SchemaRegistryException {
    public UnusableSchemaException(String message) {
        super(message);
    }

    public UnusableSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
