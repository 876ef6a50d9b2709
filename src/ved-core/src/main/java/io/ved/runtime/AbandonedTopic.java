package io.ved.runtime;

import io.ved.envelope.Envelope;
import io.ved.runtime.handler.AbandonedMessages;
import io.ved.runtime.topology.TopologyFile;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AbandonedMessages} kept in the application's compacted {@code <application>.abandoned} topic, so that they
 * outlive the process and are seen by every instance. Read whole when the application starts (before any message is
 * handled), then followed by a daemon thread. Only partition 0 is written and read. A stuck handler is recorded at
 * twice its limit, well before its partition can move to another instance (that takes the stuck consumer's
 * {@code max.poll.interval.ms}, at least ten times the limit), so the follower there has it in time.
 */
final class AbandonedTopic implements AbandonedMessages, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AbandonedTopic.class);
    private static final Duration WRITE_WAIT = Duration.ofSeconds(10);

    private final String topic;
    private final Map<String, String> known = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final Thread follower;
    private volatile boolean closed;

    private AbandonedTopic(String topic, KafkaConsumer<String, String> consumer, KafkaProducer<String, String> producer) {
        this.topic = topic;
        this.consumer = consumer;
        this.producer = producer;
        this.follower = new Thread(this::follow, "ved-abandoned-follower");
        this.follower.setDaemon(true);
    }

    /**
     * Reads the topic (see {@link InternalTopics}) to its end and starts following it.
     *
     * @param common the servers and security settings ({@link InternalTopics#clientConfig})
     * @throws IllegalStateException when the topic cannot be read within {@code wait}
     */
    static AbandonedTopic open(TopologyFile file, Map<String, Object> common, Duration wait) {
        String topic = file.abandonedTopic();
        Map<String, Object> consumerConfig = new HashMap<>(common);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, file.application() + "-abandoned-reader");
        Map<String, Object> producerConfig = new HashMap<>(common);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, file.application() + "-abandoned-writer");
        AbandonedTopic abandoned = new AbandonedTopic(topic,
                new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer()),
                new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer()));
        try {
            abandoned.readToEnd(wait);
        } catch (RuntimeException e) {
            abandoned.close();
            throw e;
        }
        abandoned.follower.start();
        return abandoned;
    }

    private void readToEnd(Duration wait) {
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        try {
            TopicReader.readToEnd(consumer, wait, this::learn);
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not read topic " + topic + " to its end within " + wait.toSeconds() + " s", e);
        }
        if (!known.isEmpty()) {
            LOG.info("{} message(s) are recorded as abandoned in {}: they are dead-lettered without running", known.size(), topic);
        }
    }

    private void follow() {
        try {
            while (!closed) {
                consumer.poll(Duration.ofSeconds(1)).forEach(this::learn);
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.error("Stopped following {}: messages other instances abandon from now on are known here only after a "
                        + "restart", topic, e);
            }
        } finally {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void learn(ConsumerRecord<String, String> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            known.remove(record.key()); // a tombstone: somebody decided the message may run again
        } else {
            known.put(record.key(), record.value());
        }
    }

    @Override
    public Optional<String> why(Envelope message) {
        return known.isEmpty() ? Optional.empty() : Optional.ofNullable(known.get(AbandonedMessages.keyOf(message)));
    }

    @Override
    public void record(Envelope message, String why) {
        String key = AbandonedMessages.keyOf(message);
        known.put(key, why);
        try {
            producer.send(new ProducerRecord<>(topic, 0, key, why)).get(WRITE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("writing to " + topic + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("writing to " + topic + " took longer than " + WRITE_WAIT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + topic, e);
        }
    }

    /** Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (follower.isAlive()) {
            consumer.wakeup();
            try {
                follower.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        }
        producer.close(Duration.ofSeconds(5));
    }
}
