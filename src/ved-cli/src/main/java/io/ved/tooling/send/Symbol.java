package io.ved.tooling.send;

import java.util.Objects;

/**
 * A bare name written as a value, such as {@code CONFIRMED} in {@code status: CONFIRMED}: an enum symbol.
 * Kept apart from a quoted string so that {@code item_id: A12} can be told to quote its value.
 */
public record Symbol(String name) {
    public Symbol {
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return name;
    }
}
