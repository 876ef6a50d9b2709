package io.ved.tooling.inspect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads chosen partitions of Ved topics between two offsets, committed records only ({@code read_committed}:
 * aborted transactions never show, and the end is the last stable offset), without a consumer group. Records
 * are handed over one by one, so a whole inbox can be scanned without holding it in memory.
 */
public final class LogScanner implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Duration timeout;

    public LogScanner(String bootstrap, Duration timeout) {
        this.timeout = timeout;
        this.consumer = new KafkaConsumer<>(io.ved.runtime.ToolClients.with(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The topic's partition count; 0 when the topic does not exist. */
    public int partitions(String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        return infos == null ? 0 : infos.size();
    }

    public List<TopicPartition> partitionsOf(String topic) {
        List<TopicPartition> list = new ArrayList<>();
        for (int p = 0; p < partitions(topic); p++) {
            list.add(new TopicPartition(topic, p));
        }
        return list;
    }

    /** The first offset still in the log. */
    public Map<TopicPartition, Long> beginnings(Collection<TopicPartition> partitions) {
        return consumer.beginningOffsets(partitions, timeout);
    }

    /** The end: the last stable offset (one past the last committed record). */
    public Map<TopicPartition, Long> ends(Collection<TopicPartition> partitions) {
        return consumer.endOffsets(partitions, timeout);
    }

    /** The first offset whose record time is at or after the given time; the end offset when there is none. */
    public long offsetAt(TopicPartition partition, long epochMillis) {
        OffsetAndTimestamp found = consumer.offsetsForTimes(Map.of(partition, epochMillis), timeout).get(partition);
        return found != null ? found.offset() : ends(List.of(partition)).get(partition);
    }

    /**
     * Hands every committed record of the partitions, from {@code from} (inclusive) up to {@code to}
     * (exclusive; each defaults to the beginning and the end), to {@code each}, partition by partition in
     * offset order.
     */
    public void scan(Collection<TopicPartition> partitions, Map<TopicPartition, Long> from, Map<TopicPartition, Long> to,
                     Consumer<ConsumerRecord<byte[], byte[]>> each) throws TimeoutException {
        Map<TopicPartition, Long> begin = new HashMap<>(beginnings(partitions));
        Map<TopicPartition, Long> end = new HashMap<>(ends(partitions));
        for (TopicPartition tp : partitions) {
            long start = Math.max(begin.get(tp), from.getOrDefault(tp, 0L));
            long stop = Math.min(end.get(tp), to.getOrDefault(tp, Long.MAX_VALUE));
            if (start >= stop) {
                continue;
            }
            consumer.assign(List.of(tp));
            consumer.seek(tp, start);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (consumer.position(tp) < stop) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("could not read " + tp + " up to offset " + stop + ": nothing arrived for " + timeout);
                }
                var records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    deadline = System.nanoTime() + timeout.toNanos();
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (r.offset() < stop) {
                        each.accept(r);
                    }
                }
            }
        }
        consumer.assign(List.of());
    }

    @Override
    public void close() {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
