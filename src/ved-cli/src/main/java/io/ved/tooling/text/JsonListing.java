package io.ved.tooling.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The JSON form of the CLI's listings: an indented document that ends with the records that could not be read. */
public final class JsonListing {
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private JsonListing() {
    }

    public static ObjectNode root() {
        return JSON.createObjectNode();
    }

    /** The document, with {@code unreadable} (their ids, as text) under "unreadable", and a final newline. */
    public static String write(ObjectNode root, List<?> unreadable) {
        ArrayNode bad = root.putArray("unreadable");
        unreadable.forEach(id -> bad.add(id.toString()));
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the listing as JSON", e);
        }
    }
}
