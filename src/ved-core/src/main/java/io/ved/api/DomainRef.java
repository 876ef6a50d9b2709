package io.ved.api;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The address of one domain instance, written {@code Type[id]} as in {@code InventoryDomain[88]}.
 * The id is the Kafka record key of every message sent to the instance, so it picks the partition.
 */
public record DomainRef(DomainType type, String id) {
    private static final Pattern SYNTAX = Pattern.compile("\\s*([A-Za-z][A-Za-z0-9_]*)\\[([^\\[\\]]+)]\\s*");

    public DomainRef {
        Objects.requireNonNull(type, "domain type");
        Objects.requireNonNull(id, "domain id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a domain id must not be blank (address " + type + "[])");
        }
        if (id.contains("[") || id.contains("]")) {
            throw new IllegalArgumentException("a domain id must not contain '[' or ']': " + id);
        }
    }

    public static DomainRef of(String type, String id) {
        return new DomainRef(DomainType.named(type), id);
    }

    /** Parses {@code Type[id]}; the error names the expected form, since users type these by hand. */
    public static DomainRef parse(String text) {
        Matcher m = SYNTAX.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a domain address: write Type[id], e.g. InventoryDomain[88]");
        }
        return of(m.group(1), m.group(2));
    }

    @Override
    public String toString() {
        return type.name() + "[" + id + "]";
    }
}
