package io.ved.api;

import java.util.Objects;

/** A message scheduled with {@link Context#sendAfter} or {@link Context#sendAt}; its id is the timer's id. */
public record TimerId(String value) {
    public TimerId {
        Objects.requireNonNull(value, "timer id");
    }

    @Override
    public String toString() {
        return value;
    }
}
