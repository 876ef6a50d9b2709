package io.ved.runtime.topology;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A schema registry compatibility level, as Confluent's API names them: which schema changes the registry accepts
 * for a subject. Set per domain type (or under {@code defaults}) with {@code compatibility:} in the topology file; Ved
 * applies it to the subjects of the type's messages and state at start-up and in {@code ved topics apply}.
 */
public enum SchemaCompatibility {
    BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE, NONE;

    /**
     * @throws TopologyFileException naming the value and the levels there are
     */
    public static SchemaCompatibility parse(String value, String origin) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TopologyFileException(origin + ": compatibility '" + value + "' is not a level; use one of "
                    + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
        }
    }
}
