package io.ved.api;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/** The unique id of one message (CloudEvents {@code id}). */
public record MessageId(String value) {
    public MessageId {
        Objects.requireNonNull(value, "message id");
        if (value.isBlank()) {
            throw new IllegalArgumentException("a message id must not be blank");
        }
    }

    public static MessageId random() {
        return new MessageId(UUID.randomUUID().toString());
    }

    /**
     * An id derived only from its parts, so that replaying the same input assigns the same ids
     * (a name-based UUID, RFC 4122 version 3).
     */
    public static MessageId derivedFrom(String... parts) {
        String joined = String.join("\u001f", parts);
        return new MessageId(UUID.nameUUIDFromBytes(joined.getBytes(StandardCharsets.UTF_8)).toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
