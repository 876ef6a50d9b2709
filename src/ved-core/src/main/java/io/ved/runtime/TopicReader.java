package io.ved.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads whole topics as they stand: every committed record (read_committed, so aborted transactions never
 * show) from the beginning up to the end offsets at the time of the call. No consumer group is used.
 */
public final class TopicReader {
    private TopicReader() {
    }

    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, Collection<String> topics, Duration timeout)
            throws TimeoutException {
        Map<String, Object> config = ToolClients.with(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic, timeout).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            readToEnd(consumer, timeout, records::add);
            return records;
        }
    }

    /**
     * Reads the consumer's assigned partitions on from where it stands to their end offsets taken now, handing each
     * record to {@code each}: the one "read to the end" of Ved's code (whole topics here, the runtime's followed
     * topics, the test kit's stack).
     *
     * @throws TimeoutException when the end is not reached within {@code timeout}
     */
    public static <K, V> void readToEnd(KafkaConsumer<K, V> consumer, Duration timeout, Consumer<ConsumerRecord<K, V>> each)
            throws TimeoutException {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reachedEnd(consumer, end)) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("could not read " + end.keySet() + " to the end within " + timeout);
            }
            consumer.poll(Duration.ofMillis(200)).forEach(each);
        }
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
