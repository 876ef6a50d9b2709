package io.ved.envelope.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * A schema registry held in memory, for unit tests and the test kit. It assigns global ids like a real
 * registry and enforces BACKWARD, FORWARD and FULL compatibility per subject, so tests see the same refusals.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {
    private final Map<Integer, Schema> byId = new HashMap<>();
    private final Map<Schema, Integer> idBySchema = new HashMap<>();
    private final Map<String, List<Schema>> versions = new HashMap<>();
    private final Map<String, String> compatibility = new HashMap<>();
    private final Map<Integer, String> foreign = new HashMap<>();
    private int nextId = 1;

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Schema> existing = versions.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!existing.contains(schema)) {
            checkCompatible(subject, schema, existing);
            existing.add(schema);
        }
        return idBySchema.computeIfAbsent(schema, s -> {
            int id = nextId++;
            byId.put(id, s);
            return id;
        });
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = byId.get(id);
        if (foreign.containsKey(id)) {
            throw new UnusableSchemaException("schema id " + id + " is a " + foreign.get(id) + " schema, not Avro: Ved reads Avro only");
        }
        if (schema == null) {
            throw new UnknownSchemaException(id);
        }
        return schema;
    }

    /**
     * Registers a schema of another kind (e.g. {@code JSON} or {@code PROTOBUF}), as other producers may, so tests can
     * send records that name it.
     *
     * @return its id, which {@link #schemaById} answers with an {@link UnusableSchemaException}
     */
    public synchronized int registerForeign(String schemaType) {
        int id = nextId++;
        foreign.put(id, schemaType);
        return id;
    }

    @Override
    public synchronized void setCompatibility(String subject, String level) {
        compatibility.put(subject, level.toUpperCase());
    }

    @Override
    public synchronized java.util.Optional<String> compatibility(String subject) {
        return java.util.Optional.ofNullable(compatibility.get(subject));
    }

    @Override
    public synchronized List<SchemaVersion> versions(String subject) {
        List<Schema> schemas = versions.getOrDefault(subject, List.of());
        List<SchemaVersion> listed = new ArrayList<>();
        for (int i = 0; i < schemas.size(); i++) {
            listed.add(new SchemaVersion(i + 1, idBySchema.get(schemas.get(i)), schemas.get(i)));
        }
        return listed;
    }

    private void checkCompatible(String subject, Schema candidate, List<Schema> existing) {
        String level = compatibility.getOrDefault(subject, "NONE");
        for (Schema old : existing) {
            boolean backward = level.startsWith("BACKWARD") || level.startsWith("FULL");
            boolean forward = level.startsWith("FORWARD") || level.startsWith("FULL");
            if (backward && !readable(candidate, old)) {
                throw new IncompatibleSchemaException(subject, "the new schema cannot read data written with an older version (" + level + ")");
            }
            if (forward && !readable(old, candidate)) {
                throw new IncompatibleSchemaException(subject, "an older schema cannot read data written with the new version (" + level + ")");
            }
        }
    }

    private static boolean readable(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibilityType.COMPATIBLE;
    }
}
