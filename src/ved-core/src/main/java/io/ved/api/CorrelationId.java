package io.ved.api;

import java.util.Objects;

/** Ties together every message caused, directly or not, by one root message. */
public record CorrelationId(String value) {
    public CorrelationId {
        Objects.requireNonNull(value, "correlation id");
        if (value.isBlank()) {
            throw new IllegalArgumentException("a correlation id must not be blank");
        }
    }

    /** A root message starts its own correlation, named after itself. */
    public static CorrelationId startedBy(MessageId root) {
        return new CorrelationId(root.value());
    }

    @Override
    public String toString() {
        return value;
    }
}
