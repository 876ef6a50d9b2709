package io.ved.envelope.registry;

/** The registry answered, and it has no schema with that id: the record can never be decoded. */
public class UnknownSchemaException extends SchemaRegistryException {
    public UnknownSchemaException(int id) {
        super("schema id " + id + " is not known to the schema registry");
    }
}
