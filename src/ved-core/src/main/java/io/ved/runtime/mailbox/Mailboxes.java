package io.ved.runtime.mailbox;

import io.ved.internal.DeferredMessage;
import io.ved.internal.MailboxStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Per-instance FIFO queues of records, in the runtime store (backed by a changelog), so a crash while an
 * instance waits loses nothing. An instance with a non-empty queue is "waiting": every new record for it
 * joins the back of its queue, which keeps its order; the head is tried again when it falls due. The same
 * structure holds messages waiting to be handled (retry, throttling) and sends waiting to leave (throttling).
 */
public final class Mailboxes {
    private static final InternalRecords<DeferredMessage> DEFERRED = new InternalRecords<>(DeferredMessage.class);
    private static final InternalRecords<MailboxStatus> STATUS = new InternalRecords<>(MailboxStatus.class);
    private static final char SEP = '\u0000';

    private final KeySpace status;
    private final KeySpace queue;
    private final DueIndex due;
    /** How many instances wait; kept in memory so the common case (none) costs no store read per message. */
    private long waiting;
    /** How many records wait, over all instances: the partition's deferred-queue depth. */
    private long queued;

    /**
     * @param name a short name that keeps these queues apart from others in the same store (e.g. "m" or "o")
     */
    public Mailboxes(KeyValueStore<String, byte[]> store, String name) {
        this.status = new KeySpace(store, name + "s|");
        this.queue = new KeySpace(store, name + "q|");
        this.due = new DueIndex(new KeySpace(store, name + "d|"));
        status.forEachValue(bytes -> {
            MailboxStatus s = STATUS.decode(bytes);
            waiting++;
            queued += s.getNextSeq() - s.getHeadSeq();
        });
    }

    /** How many records wait in these queues, over all instances of the partition. */
    public long totalDepth() {
        return queued;
    }

    public boolean isWaiting(String id) {
        return waiting > 0 && status.get(id) != null;
    }

    /** Puts a record at the back of the instance's queue (making the instance waiting if it was not). */
    public void append(String id, DeferredMessage message) {
        MailboxStatus s = statusOf(id).orElseGet(() -> {
            waiting++;
            return new MailboxStatus(0L, 0L, 0L);
        });
        queue.put(queueKey(id, s.getNextSeq()), DEFERRED.encode(message));
        queued++;
        s.setNextSeq(s.getNextSeq() + 1);
        status.put(id, STATUS.encode(s));
    }

    /** The head record; an unreadable stored entry throws (use {@link #rawHead} to dead-letter it as it is). */
    public Optional<DeferredMessage> head(String id) {
        return rawHead(id).map(DEFERRED::decode);
    }

    /** The head record's stored bytes, as they are. */
    public Optional<byte[]> rawHead(String id) {
        return statusOf(id).map(s -> queue.get(queueKey(id, s.getHeadSeq())));
    }

    /** Reads a stored record of these queues (for one taken by {@link #rawHead}). */
    public static DeferredMessage decode(byte[] stored) {
        return DEFERRED.decode(stored);
    }

    public void replaceHead(String id, DeferredMessage message) {
        MailboxStatus s = statusOf(id).orElseThrow();
        queue.put(queueKey(id, s.getHeadSeq()), DEFERRED.encode(message));
    }

    /** Removes the head; an emptied queue makes the instance ready again. */
    public void removeHead(String id) {
        MailboxStatus s = statusOf(id).orElseThrow();
        queue.delete(queueKey(id, s.getHeadSeq()));
        queued--;
        s.setHeadSeq(s.getHeadSeq() + 1);
        if (s.getHeadSeq() >= s.getNextSeq()) {
            unschedule(id, s);
            status.delete(id);
            waiting--;
        } else {
            status.put(id, STATUS.encode(s));
        }
    }

    /** Has the head tried again at the given wall-clock time. */
    public void scheduleAt(String id, long dueAt) {
        MailboxStatus s = statusOf(id).orElseThrow();
        unschedule(id, s);
        dueAt = Math.max(1, dueAt); // 0 means "not scheduled"
        s.setDueAt(dueAt);
        due.add(dueAt, id);
        status.put(id, STATUS.encode(s));
    }

    /**
     * At most {@code max} of the instances whose head is due at or before {@code now}, oldest first; they are no
     * longer scheduled (the caller schedules again any it does not finish).
     */
    public List<String> takeDue(long now, int max) {
        List<String> ids = new ArrayList<>();
        for (String id : due.takeDue(now, max)) {
            statusOf(id).ifPresent(s -> {
                s.setDueAt(0L);
                status.put(id, STATUS.encode(s));
                ids.add(id);
            });
        }
        return ids;
    }

    /** How many records wait for this instance. */
    public long depth(String id) {
        return statusOf(id).map(s -> s.getNextSeq() - s.getHeadSeq()).orElse(0L);
    }

    private void unschedule(String id, MailboxStatus s) {
        if (s.getDueAt() > 0) {
            due.remove(s.getDueAt(), id);
        }
    }

    private Optional<MailboxStatus> statusOf(String id) {
        byte[] bytes = status.get(id);
        return bytes == null ? Optional.empty() : Optional.of(STATUS.decode(bytes));
    }

    private static String queueKey(String id, long seq) {
        return id + SEP + String.format("%019d", seq);
    }
}
