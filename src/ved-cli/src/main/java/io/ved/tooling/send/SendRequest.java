package io.ved.tooling.send;

import io.ved.api.DomainRef;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A message to send, as the user wrote it and before it is checked against any schema. Field values are
 * plain literals: {@code String}, {@code Long} (or {@code BigInteger} when too big for a long, so the range
 * error can show the number), {@code BigDecimal}, {@code Boolean}, {@code null}, {@link Symbol} (a bare
 * name, e.g. an enum symbol), {@code List} and {@code Map<String, Object>} (a nested record or a map).
 *
 * @param messageType the message's simple name ({@code ReleaseStock}) or full name
 * @param fields      the fields in the order written
 */
public record SendRequest(DomainRef target, String messageType, Map<String, Object> fields) {

    public SendRequest {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(messageType, "message type");
        // Map.copyOf would lose the written order and refuses the null values a nullable field may take.
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** Both front ends use this so a literal 1 is the same value whether typed or given as JSON. */
    static Object integer(BigInteger value) {
        return value.bitLength() < Long.SIZE ? (Object) value.longValue() : value;
    }
}
