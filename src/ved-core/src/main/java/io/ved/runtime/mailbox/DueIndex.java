package io.ved.runtime.mailbox;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;

/**
 * Things to do at a wall-clock time, in time order: retries of waiting messages, releases of throttled
 * messages and sends, and timers. Kept in the runtime store, so they survive a crash or a move to another
 * instance; a punctuator takes what fell due.
 */
public final class DueIndex {
    private static final char SEP = '\u0000';
    private final KeySpace space;

    public DueIndex(KeySpace space) {
        this.space = space;
    }

    public void add(long dueAt, String name) {
        space.put(key(dueAt, name), new byte[0]);
    }

    public void remove(long dueAt, String name) {
        space.delete(key(dueAt, name));
    }

    /**
     * At most {@code max} of the names due at or before {@code now}, oldest first, removed from the index; the rest
     * stay due for the next call.
     */
    public List<String> takeDue(long now, int max) {
        List<KeyValue<String, byte[]>> entries = space.range(key(0, ""), String.format("%019d", Math.max(0, now)) + '\u0001', max);
        List<String> names = new ArrayList<>(entries.size());
        for (KeyValue<String, byte[]> e : entries) {
            space.delete(e.key);
            names.add(e.key.substring(e.key.indexOf(SEP) + 1));
        }
        return names;
    }

    private static String key(long dueAt, String name) {
        // Held within what 19 digits order correctly: a negative or overflowed time would sort after every other.
        return String.format("%019d", Math.max(0, dueAt)) + SEP + name;
    }
}
