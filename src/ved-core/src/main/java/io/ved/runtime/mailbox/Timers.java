package io.ved.runtime.mailbox;

import io.ved.internal.DeferredMessage;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Durable timers: messages a handler asked to send later. They are stored in the handler's own transaction
 * and fired by the punctuator in another one, which deletes them as it forwards them, so each fires exactly
 * once, across restarts and rebalances. The stored record's timestamp is its due time.
 */
public final class Timers {
    private static final InternalRecords<DeferredMessage> RECORDS = new InternalRecords<>(DeferredMessage.class);

    private final KeySpace entries;
    private final DueIndex due;

    public Timers(KeyValueStore<String, byte[]> store) {
        this.entries = new KeySpace(store, "tt|");
        this.due = new DueIndex(new KeySpace(store, "td|"));
    }

    public void schedule(String timerId, DeferredMessage send) {
        entries.put(timerId, RECORDS.encode(send));
        due.add(send.getTimestamp(), timerId);
    }

    /** @return whether there was such a timer still to fire */
    public boolean cancel(String timerId) {
        byte[] bytes = entries.get(timerId);
        if (bytes == null) {
            return false;
        }
        try {
            due.remove(RECORDS.decode(bytes).getTimestamp(), timerId);
        } catch (RuntimeException unreadable) {
            // its due entry stays; when it falls due the entry is gone, so nothing fires
        }
        entries.delete(timerId);
        return true;
    }

    /** A timer taken to fire: its id and its stored bytes, read by {@link #decode} (which throws if they are unreadable). */
    public record Due(String timerId, byte[] stored) {
    }

    /**
     * At most {@code max} of the timers due at or before {@code now}, oldest first, removed so they fire once; the
     * rest stay due for the next call.
     */
    public List<Due> takeDue(long now, int max) {
        List<Due> fired = new ArrayList<>();
        for (String timerId : due.takeDue(now, max)) {
            byte[] bytes = entries.get(timerId);
            if (bytes != null) {
                entries.delete(timerId);
                fired.add(new Due(timerId, bytes));
            }
        }
        return fired;
    }

    public static DeferredMessage decode(byte[] stored) {
        return RECORDS.decode(stored);
    }
}
