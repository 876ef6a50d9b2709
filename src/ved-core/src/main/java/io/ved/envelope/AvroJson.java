package io.ved.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro records as JSON, for people: {@link #toJson} gives plain JSON (unions unwrapped, maps as objects,
 * logical types as their underlying numbers, bytes as ISO-8859-1 text like Avro's own JSON encoding), which
 * tools print, diff and serve. {@link #parse} reads a record back either from Avro's JSON encoding (with
 * {@link org.apache.avro.io.JsonDecoder}) or from that plain form, resolved against the record's schema.
 */
public final class AvroJson {
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AvroJson() {
    }

    /** Plain JSON of a record. */
    public static JsonNode toJson(IndexedRecord record) {
        Schema schema = record.getSchema();
        return toJson(raw(record), schema);
    }

    /** Plain JSON text of a record, indented. */
    public static String toText(IndexedRecord record) {
        try {
            return MAPPER.writeValueAsString(toJson(record));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Avro's own JSON encoding of a record (unions wrapped as {"type": value}), which JsonDecoder reads. */
    public static String toAvroJson(SpecificRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            JsonEncoder encoder = EncoderFactory.get().jsonEncoder(record.getSchema(), out, true);
            new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Reads a record of the given class from JSON: Avro's JSON encoding first, else plain JSON as
     * {@link #toJson} writes it. The error names what did not fit.
     */
    public static <T extends SpecificRecord> T parse(String json, Class<T> type) {
        Schema schema = SpecificData.get().getSchema(type);
        try {
            return decodeAvroJson(json, schema, type);
        } catch (IOException | AvroRuntimeException notAvroJson) {
            JsonNode plain;
            try {
                plain = MAPPER.readTree(json);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
            }
            JsonNode encoded = toAvroJsonNode(plain, schema, schema.getName());
            try {
                return decodeAvroJson(MAPPER.writeValueAsString(encoded), schema, type);
            } catch (IOException | AvroRuntimeException e) {
                throw new IllegalArgumentException("does not fit " + schema.getFullName() + ": " + e.getMessage());
            }
        }
    }

    private static <T extends SpecificRecord> T decodeAvroJson(String json, Schema schema, Class<T> type) throws IOException {
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(schema);
        return type.cast(reader.read(null, DecoderFactory.get().jsonDecoder(schema, json)));
    }

    /** The record with logical types and generated classes replaced by Avro's plain representations. */
    private static Object raw(IndexedRecord record) {
        Schema schema = record.getSchema();
        if (!(record instanceof SpecificRecord specific)) {
            return record;
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new SpecificDatumWriter<SpecificRecord>(schema).write(specific, encoder);
            encoder.flush();
            return new GenericDatumReader<Object>(schema).read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode toJson(Object datum, Schema schema) {
        return switch (schema.getType()) {
            case NULL -> NODES.nullNode();
            case BOOLEAN -> NODES.booleanNode((Boolean) datum);
            case INT -> NODES.numberNode(((Number) datum).intValue());
            case LONG -> NODES.numberNode(((Number) datum).longValue());
            case FLOAT -> NODES.numberNode(((Number) datum).floatValue());
            case DOUBLE -> NODES.numberNode(((Number) datum).doubleValue());
            case STRING, ENUM -> NODES.textNode(datum.toString());
            case BYTES -> NODES.textNode(latin1((ByteBuffer) datum));
            case FIXED -> NODES.textNode(new String(((GenericFixed) datum).bytes(), StandardCharsets.ISO_8859_1));
            case ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                ((Collection<?>) datum).forEach(item -> array.add(toJson(item, schema.getElementType())));
                yield array;
            }
            case MAP -> {
                ObjectNode map = NODES.objectNode();
                new java.util.TreeMap<>(stringKeys((Map<?, ?>) datum)).forEach((k, v) -> map.set(k, toJson(v, schema.getValueType())));
                yield map;
            }
            case RECORD -> {
                ObjectNode object = NODES.objectNode();
                IndexedRecord record = (IndexedRecord) datum;
                schema.getFields().forEach(f -> object.set(f.name(), toJson(record.get(f.pos()), f.schema())));
                yield object;
            }
            case UNION -> datum == null ? NODES.nullNode()
                    : toJson(datum, schema.getTypes().get(org.apache.avro.generic.GenericData.get().resolveUnion(schema, datum)));
        };
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> keys = new java.util.LinkedHashMap<>();
        map.forEach((k, v) -> keys.put(k.toString(), v));
        return keys;
    }

    private static String latin1(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Plain JSON -> Avro's JSON encoding of the same value, following the schema (unions get wrapped). */
    private static JsonNode toAvroJsonNode(JsonNode node, Schema schema, String path) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!node.isObject()) {
                    throw new IllegalArgumentException(path + " should be an object (" + schema.getName() + ")");
                }
                ObjectNode out = NODES.objectNode();
                for (Schema.Field f : schema.getFields()) {
                    JsonNode value = node.get(f.name());
                    if (value == null) {
                        if (!f.hasDefaultValue()) {
                            throw new IllegalArgumentException(path + "." + f.name() + " is missing and has no default");
                        }
                        Object d = f.defaultVal();
                        value = d == JsonProperties.NULL_VALUE ? NODES.nullNode() : MAPPER.valueToTree(d);
                        if (f.schema().getType() == Schema.Type.UNION && !value.isNull()) {
                            // A union's default is a value of its first branch.
                            Schema first = f.schema().getTypes().get(0);
                            out.set(f.name(), NODES.objectNode().set(branchName(first), toAvroJsonNode(value, first, path + "." + f.name())));
                            continue;
                        }
                    }
                    out.set(f.name(), toAvroJsonNode(value, f.schema(), path + "." + f.name()));
                }
                Iterator<String> names = node.fieldNames();
                while (names.hasNext()) {
                    String name = names.next();
                    if (schema.getField(name) == null) {
                        throw new IllegalArgumentException(path + " has no field '" + name + "' (fields: "
                                + schema.getFields().stream().map(Schema.Field::name).toList() + ")");
                    }
                }
                return out;
            }
            case MAP -> {
                if (!node.isObject()) {
                    throw new IllegalArgumentException(path + " should be an object (a map)");
                }
                ObjectNode out = NODES.objectNode();
                node.properties().forEach(e -> out.set(e.getKey(), toAvroJsonNode(e.getValue(), schema.getValueType(), path + "." + e.getKey())));
                return out;
            }
            case ARRAY -> {
                if (!node.isArray()) {
                    throw new IllegalArgumentException(path + " should be an array");
                }
                ArrayNode out = NODES.arrayNode();
                for (int i = 0; i < node.size(); i++) {
                    out.add(toAvroJsonNode(node.get(i), schema.getElementType(), path + "[" + i + "]"));
                }
                return out;
            }
            case UNION -> {
                if (node.isNull()) {
                    if (schema.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL)) {
                        return NODES.nullNode();
                    }
                    throw new IllegalArgumentException(path + " must not be null");
                }
                for (Schema branch : schema.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL && fits(node, branch)) {
                        return NODES.objectNode().set(branchName(branch), toAvroJsonNode(node, branch, path));
                    }
                }
                throw new IllegalArgumentException(path + " fits none of " + schema);
            }
            default -> {
                if (!fits(node, schema)) {
                    throw new IllegalArgumentException(path + " should be " + schema.getType().getName() + ", not " + node);
                }
                return node;
            }
        }
    }

    private static boolean fits(JsonNode node, Schema schema) {
        return switch (schema.getType()) {
            case NULL -> node.isNull();
            case BOOLEAN -> node.isBoolean();
            case INT -> node.isIntegralNumber() && node.canConvertToInt();
            case LONG -> node.isIntegralNumber() && node.canConvertToLong();
            case FLOAT, DOUBLE -> node.isNumber();
            case STRING, BYTES, FIXED -> node.isTextual();
            case ENUM -> node.isTextual() && schema.getEnumSymbols().contains(node.asText());
            case ARRAY -> node.isArray();
            case MAP, RECORD -> node.isObject();
            case UNION -> schema.getTypes().stream().anyMatch(t -> fits(node, t));
        };
    }

    private static String branchName(Schema branch) {
        return switch (branch.getType()) {
            case RECORD, ENUM, FIXED -> branch.getFullName();
            default -> branch.getType().getName();
        };
    }
}
