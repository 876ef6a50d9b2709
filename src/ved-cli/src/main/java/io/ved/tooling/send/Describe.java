package io.ved.tooling.send;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;

/** Avro types and user values in the words of the error messages: "an int", {@code "one"}, {@code [1, 2]}. */
final class Describe {
    private static final int MAX_VALUE_LENGTH = 60;

    private Describe() {
    }

    /** "an int", "a string or null", "an enum Status (A, B)", "a long (timestamp-millis)". */
    static String type(Schema schema) {
        String type = plainType(schema);
        return schema.getLogicalType() == null ? type : type + " (" + schema.getLogicalType().getName() + ")";
    }

    private static String plainType(Schema schema) {
        return switch (schema.getType()) {
            case UNION -> union(schema);
            case ENUM -> "an enum " + schema.getName() + " (" + String.join(", ", schema.getEnumSymbols()) + ")";
            case RECORD -> "a record " + schema.getName();
            case FIXED -> schema.getFixedSize() + " bytes (fixed " + schema.getName() + ")";
            case ARRAY -> "an array of " + bare(schema.getElementType());
            case MAP -> "a map of " + bare(schema.getValueType());
            case BYTES -> "bytes";
            case NULL -> "null";
            case INT -> "an int";
            default -> "a " + bare(schema);
        };
    }

    /** Null is named last whatever its place in the union: "a string or null" reads better. */
    private static String union(Schema schema) {
        List<Schema> branches = schema.getTypes();
        String others = branches.stream().filter(b -> b.getType() != Schema.Type.NULL)
                .map(Describe::type).collect(Collectors.joining(" or "));
        return schema.isNullable() ? others + " or null" : others;
    }

    private static String bare(Schema schema) {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> schema.getName();
            case ARRAY -> "array of " + bare(schema.getElementType());
            case MAP -> "map of " + bare(schema.getValueType());
            case UNION -> schema.getTypes().stream().map(Describe::bare).collect(Collectors.joining(" or "));
            default -> schema.getType().getName();
        };
    }

    /** The value as it would be written in the send syntax, shortened if long. */
    static String value(Object value) {
        String text = literal(value);
        return text.length() <= MAX_VALUE_LENGTH ? text : text.substring(0, MAX_VALUE_LENGTH - 3) + "...";
    }

    private static String literal(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> quote(s);
            case List<?> list -> list.stream().map(Describe::literal).collect(Collectors.joining(", ", "[", "]"));
            case Map<?, ?> map -> map.entrySet().stream().map(e -> e.getKey() + ": " + literal(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
            default -> value.toString();
        };
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> out.append(c < ' ' ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }
}
