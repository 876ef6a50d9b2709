package io.ved.envelope.registry;

import org.apache.avro.Schema;

/**
 * The part of a Confluent-compatible schema registry that Ved needs. Subjects follow the
 * RecordNameStrategy (the record's full name), because one inbox topic carries many message types.
 */
public interface SchemaRegistry {

    /** Registers the schema under the subject, or finds it if already there, and returns its global id. */
    int register(String subject, Schema schema);

    /** The schema with that global id; {@link UnknownSchemaException} if the registry does not know it. */
    Schema schemaById(int id);

    /** Sets the subject's compatibility level (BACKWARD, FORWARD, FULL, NONE, ...). */
    void setCompatibility(String subject, String level);

    /**
     * The compatibility level set for the subject itself; empty when it has none (the registry's global level
     * applies). Never null.
     */
    default java.util.Optional<String> compatibility(String subject) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot read a subject's compatibility level");
    }

    /**
     * Every version registered under the subject, oldest first; empty when the subject has none. Never null. A
     * registry that cannot be reached throws {@link RegistryUnavailableException}.
     */
    default java.util.List<SchemaVersion> versions(String subject) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot list a subject's versions");
    }
}
