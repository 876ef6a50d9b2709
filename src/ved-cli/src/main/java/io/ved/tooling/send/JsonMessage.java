package io.ved.tooling.send;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ved.api.DomainRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code --json} front end: the message's fields as a JSON object, {@code {"item_id": "A12", "qty": 1}},
 * with the target and message type given apart. Values are plain JSON (an enum symbol is a string, a union
 * takes its value directly, not Avro's {@code {"string": ...}} wrapping); the result goes through the same
 * checks as the send syntax.
 */
public final class JsonMessage {
    private static final JsonMapper JSON = JsonMapper.builder()
            // A key given twice is a mistake, not "last one wins".
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Keeps 1e400 as written so it is reported as out of range rather than read as infinity.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private JsonMessage() {
    }

    /** @throws SendSyntaxException if the address or the JSON cannot be read, or the JSON is not an object */
    public static SendRequest parse(String target, String messageType, String json) {
        DomainRef ref;
        try {
            ref = DomainRef.parse(target);
        } catch (IllegalArgumentException e) {
            throw new SendSyntaxException(e.getMessage(), e);
        }
        return parse(ref, messageType, json);
    }

    public static SendRequest parse(DomainRef target, String messageType, String json) {
        if (messageType == null || messageType.isBlank()) {
            throw new SendSyntaxException("no message type given for the JSON message, e.g. ReleaseStock");
        }
        JsonNode root = read(json);
        if (!root.isObject()) {
            throw new SendSyntaxException("the JSON message must be an object such as {\"item_id\": \"A12\", \"qty\": 1},"
                    + " not " + kind(root));
        }
        return new SendRequest(target, messageType.strip(), object(root));
    }

    private static JsonNode read(String json) {
        if (json == null || json.isBlank()) {
            throw new SendSyntaxException("the JSON message is empty: give an object such as {\"item_id\": \"A12\", \"qty\": 1}");
        }
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SendSyntaxException("invalid JSON" + where(e.getLocation()) + ": " + firstLine(e.getOriginalMessage()), e);
        }
    }

    private static Object value(JsonNode node) {
        return switch (node.getNodeType()) {
            case NULL -> null;
            case BOOLEAN -> node.booleanValue();
            case STRING -> node.textValue();
            case NUMBER -> node.isIntegralNumber() ? SendRequest.integer(node.bigIntegerValue()) : node.decimalValue();
            case ARRAY -> array(node);
            case OBJECT -> object(node);
            case BINARY, POJO, MISSING -> throw new SendSyntaxException("unexpected JSON value " + node);
        };
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static List<Object> array(JsonNode node) {
        List<Object> items = new ArrayList<>();
        node.forEach(item -> items.add(value(item)));
        return items;
    }

    private static Map<String, Object> object(JsonNode node) {
        Map<String, Object> fields = new LinkedHashMap<>();
        node.properties().forEach(e -> fields.put(e.getKey(), value(e.getValue())));
        return fields;
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String firstLine(String message) {
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
