package io.ved.envelope.registry;

/** The registry refused a schema because it breaks the subject's compatibility rule. */
public class IncompatibleSchemaException extends SchemaRegistryException {
    public IncompatibleSchemaException(String subject, String detail) {
        super("schema for subject '" + subject + "' is incompatible with its registered versions: " + detail);
    }
}
