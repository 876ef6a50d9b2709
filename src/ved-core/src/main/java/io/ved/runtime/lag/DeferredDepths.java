package io.ved.runtime.lag;

import io.ved.runtime.TopicReader;
import io.ved.runtime.mailbox.DeferredDepth;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The latest {@link DeferredDepth} of every inbox partition, read from the application's {@code <application>.depth}
 * topic: what the runtime holds back in its retry, throttle and held-send queues, which consumer lag cannot show.
 * Keeps one consumer and reads on from where it was at each {@link #latest()}. Not thread-safe: one caller at a
 * time (the {@link LagSampler} is synchronized).
 */
public final class DeferredDepths implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, DeferredDepth> latest = new HashMap<>();
    private boolean assigned;

    private DeferredDepths(String topic, KafkaConsumer<byte[], byte[]> consumer) {
        this.topic = topic;
        this.consumer = consumer;
    }

    public static DeferredDepths connect(String bootstrapServers, String depthTopic) {
        return connect(bootstrapServers, depthTopic, Map.of());
    }

    /** With a secured cluster's client settings. */
    public static DeferredDepths connect(String bootstrapServers, String depthTopic, Map<String, ?> security) {
        Map<String, Object> config = io.ved.runtime.ToolClients.with(security);
        config.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false, // the runtime creates it, compacted
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) WAIT.toMillis()));
        return new DeferredDepths(depthTopic, new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
    }

    /**
     * Reads on to the topic's end and returns, per inbox topic, partition -> messages waiting in the runtime's
     * retry and throttle queues. A missing topic (an application older than the topic) reads as nothing deferred.
     */
    public Map<String, Map<Integer, Long>> latest() {
        if (!assigned && !assign()) {
            return Map.of();
        }
        try {
            TopicReader.readToEnd(consumer, WAIT, record ->
                    DeferredDepth.parse(record.value()).ifPresent(d -> latest.put(d.key(), d)));
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not read " + topic + " to its end within " + WAIT.toSeconds() + " s", e);
        }
        Map<String, Map<Integer, Long>> byTopic = new TreeMap<>();
        latest.values().forEach(d -> byTopic.computeIfAbsent(d.topic(), t -> new TreeMap<>()).put(d.partition(), d.mailbox()));
        return byTopic;
    }

    /** Held sends per inbox topic and partition, as last read by {@link #latest()}. */
    public Map<String, Map<Integer, Long>> heldSends() {
        Map<String, Map<Integer, Long>> byTopic = new TreeMap<>();
        latest.values().forEach(d -> byTopic.computeIfAbsent(d.topic(), t -> new TreeMap<>()).put(d.partition(), d.outbox()));
        return byTopic;
    }

    private boolean assign() {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, WAIT);
        if (partitions == null || partitions.isEmpty()) {
            return false;
        }
        List<TopicPartition> all = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(all);
        consumer.seekToBeginning(all);
        assigned = true;
        return true;
    }

    @Override
    public void close() {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
