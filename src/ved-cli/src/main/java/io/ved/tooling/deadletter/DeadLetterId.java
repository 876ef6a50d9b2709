package io.ved.tooling.deadletter;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a user names one dead letter: the partition and offset of its record in the dead-letter topic,
 * written {@code 2-17}. Stable (a record never moves), unique within the topic, and short to type.
 */
public record DeadLetterId(int partition, long offset) implements Comparable<DeadLetterId> {
    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,9})-(\\d{1,18})");

    public DeadLetterId {
        if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException("partition and offset must not be negative: " + partition + "-" + offset);
        }
    }

    /** Parses {@code PARTITION-OFFSET}; the error shows the expected form, since users type these by hand. */
    public static DeadLetterId parse(String text) {
        Matcher m = SYNTAX.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a dead-letter id: ids are PARTITION-OFFSET,"
                    + " such as 0-17, as 'ved dlq list' shows them");
        }
        return new DeadLetterId(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)));
    }

    @Override
    public int compareTo(DeadLetterId other) {
        return partition != other.partition ? Integer.compare(partition, other.partition) : Long.compare(offset, other.offset);
    }

    @Override
    public String toString() {
        return partition + "-" + offset;
    }
}
