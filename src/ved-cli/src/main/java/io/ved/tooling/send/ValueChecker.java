package io.ved.tooling.send;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * Checks the literal values of a {@link SendRequest} against a message's Avro schema and turns them into
 * Avro's generic representation, with defaults filled in. Both front ends (the send syntax and JSON) feed
 * it, so a mistake gets the same message whichever way the user wrote the message.
 */
final class ValueChecker {
    private final GenericData model;

    /** @param model the generated class's model, so defaults, enums and logical types come out as that class expects */
    ValueChecker(GenericData model) {
        this.model = model;
    }

    GenericData.Record message(Schema schema, Map<String, ?> fields) {
        return record(schema, fields, Where.top(schema.getName()));
    }

    private Object convert(Schema schema, Object value, Where where) {
        if (schema.getType() == Schema.Type.UNION) {
            return union(schema, value, where);
        }
        if (value == null && schema.getType() != Schema.Type.NULL) {
            throw mismatch(schema, null, where);
        }
        Object raw = switch (schema.getType()) {
            case NULL -> null;
            case BOOLEAN -> as(Boolean.class, schema, value, where);
            case INT -> (int) integral(schema, value, where, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case LONG -> integral(schema, value, where, Long.MIN_VALUE, Long.MAX_VALUE);
            case FLOAT -> (float) decimal(schema, value, where, Float.MAX_VALUE, Float.toString(Float.MAX_VALUE));
            case DOUBLE -> decimal(schema, value, where, Double.MAX_VALUE, Double.toString(Double.MAX_VALUE));
            case STRING -> as(String.class, schema, value, where);
            case BYTES -> ByteBuffer.wrap(bytes(schema, value, where));
            case FIXED -> fixed(schema, value, where);
            case ENUM -> enumSymbol(schema, value, where);
            case ARRAY -> array(schema, value, where);
            case MAP -> map(schema, value, where);
            case RECORD -> record(schema, value, where);
            case UNION -> throw new IllegalStateException("unions are handled above");
        };
        return withLogicalType(schema, raw, value, where);
    }

    /** Tries the branches the value could be, in schema order; the first that takes it wins. */
    private Object union(Schema schema, Object value, Where where) {
        List<Schema> candidates = schema.getTypes().stream().filter(b -> couldBe(b, value)).toList();
        if (candidates.isEmpty()) {
            throw mismatch(schema, value, where);
        }
        InvalidMessageException first = null;
        for (Schema branch : candidates) {
            try {
                return convert(branch, value, where);
            } catch (InvalidMessageException e) {
                first = first == null ? e : first;
            }
        }
        // The first candidate's own complaint (out of range, unknown field...) says more than "is A or B".
        throw first;
    }

    /** Whether the value is of the right kind for the schema, before any range or content check. */
    private static boolean couldBe(Schema schema, Object value) {
        return switch (schema.getType()) {
            case NULL -> value == null;
            case BOOLEAN -> value instanceof Boolean;
            case INT, LONG, FLOAT, DOUBLE -> value instanceof Number;
            case STRING, BYTES, FIXED -> value instanceof String;
            case ENUM -> value instanceof String || value instanceof Symbol;
            case ARRAY -> value instanceof List;
            case MAP, RECORD -> value instanceof Map;
            case UNION -> true;
        };
    }

    private GenericData.Record record(Schema schema, Object value, Where where) {
        if (!(value instanceof Map<?, ?> fields)) {
            throw mismatch(schema, value, where);
        }
        checkFieldNames(schema, fields, where);
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            record.put(field.pos(), fields.containsKey(field.name())
                    ? convert(field.schema(), fields.get(field.name()), where.field(field.name()))
                    : model.getDefaultValue(field));
        }
        return record;
    }

    /** Unknown names first: a misspelt field would otherwise be reported as the real one missing. */
    private static void checkFieldNames(Schema schema, Map<?, ?> fields, Where where) {
        List<String> names = schema.getFields().stream().map(Schema.Field::name).toList();
        for (Object name : fields.keySet()) {
            if (!names.contains(name)) {
                throw new InvalidMessageException(where.record(schema) + " has no field '" + name
                        + "'; its fields are " + String.join(", ", names));
            }
        }
        List<String> missing = schema.getFields().stream()
                .filter(f -> !f.hasDefaultValue() && !fields.containsKey(f.name()))
                .map(f -> "'" + f.name() + "' (" + Describe.type(f.schema()) + ")")
                .toList();
        if (!missing.isEmpty()) {
            throw new InvalidMessageException(where.record(schema) + (missing.size() == 1
                    ? " needs field " + missing.getFirst() + ", which has no default"
                    : " needs fields " + String.join(", ", missing) + ", which have no default"));
        }
    }

    private long integral(Schema schema, Object value, Where where, long min, long max) {
        BigInteger n = switch (value) {
            case BigInteger b -> b;
            case Long l -> BigInteger.valueOf(l);
            case Integer i -> BigInteger.valueOf(i);
            case Short s -> BigInteger.valueOf(s);
            case Byte b -> BigInteger.valueOf(b);
            default -> throw mismatch(schema, value, where);
        };
        if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
            throw outOfRange(schema, value, where, min + " to " + max);
        }
        return n.longValue();
    }

    /** Any number will do; only its size is checked, since a decimal literal rarely has an exact binary form. */
    private double decimal(Schema schema, Object value, Where where, double max, String maxText) {
        if (!(value instanceof Number n)) {
            throw mismatch(schema, value, where);
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || Math.abs(d) > max) {
            throw outOfRange(schema, value, where, "-" + maxText + " to " + maxText);
        }
        return d;
    }

    /** As in Avro's JSON encoding: one character per byte, \u0000 to \u00ff. */
    private static byte[] bytes(Schema schema, Object value, Where where) {
        if (!(value instanceof String s)) {
            throw mismatch(schema, value, where);
        }
        if (s.chars().anyMatch(c -> c > 0xFF)) {
            throw new InvalidMessageException(where.field() + " is " + Describe.type(schema) + ", written one character"
                    + " per byte (\\u0000 to \\u00ff), but " + Describe.value(s) + " has a character above \\u00ff");
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static GenericData.Fixed fixed(Schema schema, Object value, Where where) {
        byte[] bytes = bytes(schema, value, where);
        if (bytes.length != schema.getFixedSize()) {
            throw new InvalidMessageException(where.field() + " is " + Describe.type(schema) + ", but "
                    + Describe.value(value) + " has " + bytes.length);
        }
        return new GenericData.Fixed(schema, bytes);
    }

    private Object enumSymbol(Schema schema, Object value, Where where) {
        String symbol = switch (value) {
            case Symbol s -> s.name();
            case String s -> s;
            default -> throw mismatch(schema, value, where);
        };
        if (!schema.hasEnumSymbol(symbol)) {
            throw mismatch(schema, value, where);
        }
        return model.createEnum(symbol, schema);
    }

    private List<Object> array(Schema schema, Object value, Where where) {
        if (!(value instanceof List<?> items)) {
            throw mismatch(schema, value, where);
        }
        List<Object> array = new GenericData.Array<>(items.size(), schema);
        for (int i = 0; i < items.size(); i++) {
            array.add(convert(schema.getElementType(), items.get(i), where.element(i)));
        }
        return array;
    }

    private Map<String, Object> map(Schema schema, Object value, Where where) {
        if (!(value instanceof Map<?, ?> entries)) {
            throw mismatch(schema, value, where);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        entries.forEach((key, item) -> map.put(key.toString(),
                convert(schema.getValueType(), item, where.entry(key.toString()))));
        return map;
    }

    /** The generated class holds a logical type's Java form (an Instant, say): convert the raw value to it. */
    private Object withLogicalType(Schema schema, Object raw, Object value, Where where) {
        LogicalType logical = schema.getLogicalType();
        Conversion<?> conversion = logical == null ? null : model.getConversionFor(logical);
        if (conversion == null || raw == null) {
            return raw;
        }
        try {
            return Conversions.convertToLogicalType(raw, schema, logical, conversion);
        } catch (RuntimeException e) {
            throw new InvalidMessageException(where.field() + " is " + Describe.type(schema) + ", but "
                    + Describe.value(value) + " is not a valid " + logical.getName() + ": " + e.getMessage());
        }
    }

    private static InvalidMessageException mismatch(Schema schema, Object value, Where where) {
        String hint = value instanceof Symbol s && takesString(schema)
                ? " (write strings in double quotes: " + Describe.quote(s.name()) + ")"
                : "";
        return new InvalidMessageException(where.field() + " is " + Describe.type(schema) + ", but got "
                + Describe.value(value) + hint);
    }

    private static boolean takesString(Schema schema) {
        return schema.getType() == Schema.Type.STRING
                || schema.getType() == Schema.Type.UNION && schema.getTypes().stream().anyMatch(ValueChecker::takesString);
    }

    private static InvalidMessageException outOfRange(Schema schema, Object value, Where where, String range) {
        return new InvalidMessageException(where.field() + " is " + Describe.type(schema) + ", but "
                + Describe.value(value) + " is out of its range (" + range + ")");
    }

    private static <T> T as(Class<T> type, Schema schema, Object value, Where where) {
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        throw mismatch(schema, value, where);
    }
}
