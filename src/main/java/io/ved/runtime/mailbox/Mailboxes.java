package io.ved.runtime.mailbox;

import io.ved.internal.DeferredMessage;
import io.ved.internal.MailboxStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The waiting messages of a domain type's instances, in state stores backed by changelogs, so a crash while
 * an instance waits loses nothing. An instance with a non-empty queue is "waiting": every new message for it
 * joins the back of its queue, which keeps its order; the head is tried again when it falls due.
 */
public final class Mailboxes {
    private static final InternalRecords<DeferredMessage> DEFERRED = new InternalRecords<>(DeferredMessage.class);
    private static final InternalRecords<MailboxStatus> STATUS = new InternalRecords<>(MailboxStatus.class);
    private static final char SEP = '\u0000';

    private final KeyValueStore<String, byte[]> status;
    private final KeyValueStore<String, byte[]> queue;
    private final KeyValueStore<String, byte[]> due;

    public Mailboxes(KeyValueStore<String, byte[]> status, KeyValueStore<String, byte[]> queue, KeyValueStore<String, byte[]> due) {
        this.status = status;
        this.queue = queue;
        this.due = due;
    }

    public boolean isWaiting(String id) {
        return status.get(id) != null;
    }

    /** Puts a message at the back of the instance's queue (making the instance waiting if it was not). */
    public void append(String id, DeferredMessage message) {
        MailboxStatus s = statusOf(id).orElseGet(() -> new MailboxStatus(0L, 0L, 0L));
        queue.put(queueKey(id, s.getNextSeq()), DEFERRED.encode(message));
        s.setNextSeq(s.getNextSeq() + 1);
        status.put(id, STATUS.encode(s));
    }

    public Optional<DeferredMessage> head(String id) {
        return statusOf(id).map(s -> DEFERRED.decode(queue.get(queueKey(id, s.getHeadSeq()))));
    }

    public void replaceHead(String id, DeferredMessage message) {
        MailboxStatus s = statusOf(id).orElseThrow();
        queue.put(queueKey(id, s.getHeadSeq()), DEFERRED.encode(message));
    }

    /** Removes the head; an emptied queue makes the instance ready again. */
    public void removeHead(String id) {
        MailboxStatus s = statusOf(id).orElseThrow();
        queue.delete(queueKey(id, s.getHeadSeq()));
        s.setHeadSeq(s.getHeadSeq() + 1);
        if (s.getHeadSeq() >= s.getNextSeq()) {
            unschedule(id, s);
            status.delete(id);
        } else {
            status.put(id, STATUS.encode(s));
        }
    }

    /** Has the head tried again at the given wall-clock time. */
    public void scheduleAt(String id, long dueAt) {
        MailboxStatus s = statusOf(id).orElseThrow();
        unschedule(id, s);
        s.setDueAt(dueAt);
        due.put(dueKey(dueAt, id), new byte[0]);
        status.put(id, STATUS.encode(s));
    }

    /** The instances whose head is due at or before {@code now}, oldest first; they are no longer scheduled. */
    public List<String> takeDue(long now) {
        List<KeyValue<String, byte[]>> entries = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = due.range(dueKey(0, ""), String.format("%019d", now) + '\u0001')) {
            it.forEachRemaining(entries::add);
        }
        List<String> ids = new ArrayList<>(entries.size());
        for (KeyValue<String, byte[]> e : entries) {
            due.delete(e.key);
            String id = e.key.substring(e.key.indexOf(SEP) + 1);
            statusOf(id).ifPresent(s -> {
                s.setDueAt(0L);
                status.put(id, STATUS.encode(s));
                ids.add(id);
            });
        }
        return ids;
    }

    /** How many messages wait for this instance. */
    public long depth(String id) {
        return statusOf(id).map(s -> s.getNextSeq() - s.getHeadSeq()).orElse(0L);
    }

    private void unschedule(String id, MailboxStatus s) {
        if (s.getDueAt() > 0) {
            due.delete(dueKey(s.getDueAt(), id));
        }
    }

    private Optional<MailboxStatus> statusOf(String id) {
        byte[] bytes = status.get(id);
        return bytes == null ? Optional.empty() : Optional.of(STATUS.decode(bytes));
    }

    private static String queueKey(String id, long seq) {
        return id + SEP + String.format("%019d", seq);
    }

    private static String dueKey(long dueAt, String id) {
        return String.format("%019d", dueAt) + SEP + id;
    }
}
