package io.ved.tooling.stack;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves the embedded node is a broker that exactly-once code can rely on: transactions commit and
 * abort as on a real cluster, Kafka Streams with {@code exactly_once_v2} and a RocksDB store runs and
 * commits, and a broker restart keeps committed data.
 */
class EmbeddedKafkaIT {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        long t0 = System.nanoTime();
        kafka = EmbeddedKafka.start();
        System.out.printf("embedded broker ready in %d ms at %s%n",
                (System.nanoTime() - t0) / 1_000_000, kafka.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void readCommittedConsumerSeesCommittedButNotAbortedTransactions() throws Exception {
        String topic = "tx-round-trip";
        try (var producer = transactionalProducer(kafka.bootstrapServers(), "tx-round-trip")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k1", "committed-1"));
            producer.send(new ProducerRecord<>(topic, "k2", "committed-2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k3", "aborted"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k4", "committed-3"));
            producer.commitTransaction();
        }

        assertThat(readCommitted(kafka.bootstrapServers(), topic, 3))
                .containsExactly("committed-1", "committed-2", "committed-3");
    }

    @Test
    void exactlyOnceStreamsAppWithPersistentStoreRunsAndCommits(@TempDir Path stateDir) throws Exception {
        String input = "eos-in";
        String output = "eos-out";
        try (var producer = transactionalProducer(kafka.bootstrapServers(), "eos-feeder")) {
            producer.initTransactions();
            producer.beginTransaction();
            for (String word : List.of("a", "b", "a", "c", "a")) {
                producer.send(new ProducerRecord<>(input, word, word));
            }
            producer.commitTransaction();
        }

        var builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey()
                .count(Materialized.as("counts"))
                .toStream()
                .mapValues(Object::toString)
                .to(output, Produced.with(Serdes.String(), Serdes.String()));
        var props = new java.util.Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "eos-it");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");

        var running = new CountDownLatch(1);
        try (var streams = new KafkaStreams(builder.build(), props)) {
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            streams.start();
            assertThat(running.await(60, TimeUnit.SECONDS)).as("streams reached RUNNING").isTrue();

            // Output only becomes visible to read_committed once Streams commits its transaction.
            List<String> counts = readCommitted(kafka.bootstrapServers(), output, 5);
            assertThat(counts).containsExactly("1", "1", "2", "1", "3");
            assertThat(stateDir.resolve("eos-it")).isDirectory();
        }
    }

    @Test
    void committedRecordsSurviveABrokerRestart(@TempDir Path dir) throws Exception {
        try (var own = EmbeddedKafka.builder().logDir(dir.resolve("kafka")).start()) {
            String before = own.bootstrapServers();
            try (var producer = transactionalProducer(own.bootstrapServers(), "restart")) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("durable", "k", "before-restart"));
                producer.commitTransaction();
            }

            long t0 = System.nanoTime();
            own.restartBroker();
            System.out.printf("embedded broker restarted in %d ms%n", (System.nanoTime() - t0) / 1_000_000);

            assertThat(own.bootstrapServers()).isEqualTo(before);
            try (var producer = transactionalProducer(own.bootstrapServers(), "restart")) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("durable", "k", "after-restart"));
                producer.commitTransaction();
            }
            assertThat(readCommitted(own.bootstrapServers(), "durable", 2))
                    .containsExactly("before-restart", "after-restart");
        }
    }

    static KafkaProducer<String, String> transactionalProducer(String bootstrap, String transactionalId) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer());
    }

    /** Reads from the beginning with read_committed until {@code expected} values or 30 s. */
    static List<String> readCommitted(String bootstrap, String topic, int expected) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic + "-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
            // one more short poll so that unexpected extra records (e.g. aborted ones) are caught
            consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
            return values;
        }
    }
}
