package io.ved.envelope.registry;

import org.apache.avro.Schema;

/**
 * One registered version of a subject.
 *
 * @param version the subject's version number, from 1
 * @param id      the schema's global id, as records carry it
 * @param schema  the schema, never null
 */
public record SchemaVersion(int version, int id, Schema schema) {
}
