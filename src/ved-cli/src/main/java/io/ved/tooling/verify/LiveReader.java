package io.ved.tooling.verify;

import io.ved.envelope.MessageCodec;
import io.ved.tooling.verify.model.Audit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the audit inbox with {@code read_committed} during the whole run, as Kafka's transactions test does, and
 * checks as it goes what a downstream reader would rely on: no audit is seen twice (a zombie's late commit, or an
 * aborted transaction's records, would show up so) and one account's audits come in increasing seq order. It
 * assigns itself every partition (no group), so the chaos cannot rebalance it. {@link #finish} lets it read to
 * the last stable offset and stop.
 */
final class LiveReader implements Runnable {
    private static final int MAX_EXAMPLES = 5;

    /** What the reader saw: audits read, seen a second time, and out of seq order for their account. */
    record Result(long read, long duplicates, long outOfOrder, boolean reachedEnd, List<String> examples) {
        boolean passed() {
            return duplicates == 0 && outOfOrder == 0 && reachedEnd;
        }
    }

    private final String bootstrap;
    private final String topic;
    private final int partitions;
    private final MessageCodec codec;
    private final BitSet seen;
    private final Map<String, Long> lastSeqOf = new HashMap<>();
    private final List<String> examples = new ArrayList<>();
    private final AtomicLong read = new AtomicLong();
    private long duplicates;
    private long outOfOrder;
    private volatile long finishBy = Long.MAX_VALUE;
    private volatile boolean reachedEnd;
    private volatile RuntimeException failure;

    LiveReader(String bootstrap, String auditInbox, int partitions, MessageCodec codec, int messages) {
        this.bootstrap = bootstrap;
        this.topic = auditInbox;
        this.partitions = partitions;
        this.codec = codec;
        this.seen = new BitSet(messages);
    }

    @Override
    public void run() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(io.ved.runtime.ToolClients.with(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, "ved-verify-live-reader",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> assigned = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                assigned.add(new TopicPartition(topic, p));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            while (true) {
                consumer.poll(Duration.ofMillis(200)).forEach(this::check);
                if (System.nanoTime() >= finishBy) {
                    return;
                }
                if (finishBy != Long.MAX_VALUE && atEnd(consumer, assigned)) {
                    reachedEnd = true;
                    return;
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private static boolean atEnd(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> assigned) {
        // for a read_committed consumer the end offsets are the last stable offsets
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, Duration.ofSeconds(10));
        return assigned.stream().allMatch(tp -> consumer.position(tp, Duration.ofSeconds(10)) >= ends.get(tp));
    }

    private void check(ConsumerRecord<byte[], byte[]> r) {
        Audit audit;
        try {
            audit = codec.decode(r.value(), Audit.class);
        } catch (RuntimeException e) {
            return;  // the final check counts what does not decode
        }
        read.incrementAndGet();
        long seq = audit.getSeq();
        String where = topic + "-" + r.partition() + "@" + r.offset();
        synchronized (this) {
            if (seq >= 0 && seq < Integer.MAX_VALUE && seen.get((int) seq)) {
                duplicates++;
                example("audit of seq " + seq + " seen a second time at " + where);
            } else if (seq >= 0 && seq < Integer.MAX_VALUE) {
                seen.set((int) seq);
            }
            Long last = lastSeqOf.put(audit.getAccount(), seq);
            if (last != null && seq <= last) {
                outOfOrder++;
                example("account " + audit.getAccount() + ": audit of seq " + seq + " after seq " + last + " at " + where);
            }
        }
    }

    private void example(String what) {
        if (examples.size() < MAX_EXAMPLES) {
            examples.add("live reader: " + what);
        }
    }

    /** Audits read so far. */
    long read() {
        return read.get();
    }

    /** Asks the reader to read up to the last stable offset of every partition and stop, within {@code timeout}. */
    void finish(Duration timeout) {
        finishBy = System.nanoTime() + timeout.toNanos();
    }

    synchronized Result result() {
        List<String> all = new ArrayList<>(examples);
        if (failure != null) {
            all.add("live reader: stopped on " + failure);
        }
        return new Result(read.get(), duplicates, outOfOrder, reachedEnd && failure == null, List.copyOf(all));
    }
}
