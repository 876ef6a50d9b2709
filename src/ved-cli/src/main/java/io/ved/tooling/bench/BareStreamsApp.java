package io.ved.tooling.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * (b) The ceiling for Ved's architecture: a bare Kafka Streams application with the same guarantees and the same
 * work per message, and nothing else. Exactly-once v2, read_committed, one RocksDB store with a compacted
 * changelog; per message: decode the Avro message, read the key's Avro state, count, write it back, forward the
 * record to an output topic. The Streams settings are Ved's own ({@code StreamsSettings}).
 */
final class BareStreamsApp extends BenchApp {
    static final String STORE = "bench-state";

    private final String bootstrap;
    private final Path stateDir;
    private final String applicationId;
    private final String input;
    private final String output;
    private volatile LatencyRecorder inProcessor = new LatencyRecorder();

    BareStreamsApp(String bootstrap, Path stateDir, String runId) {
        this.bootstrap = bootstrap;
        this.stateDir = stateDir;
        this.applicationId = "bench-b-" + runId;
        this.input = "bench.b." + runId + ".in";
        this.output = "bench.b." + runId + ".out";
    }

    @Override
    String id() {
        return "b";
    }

    @Override
    String name() {
        return "bare Kafka Streams";
    }

    @Override
    String description() {
        return "Processor API, exactly_once_v2, RocksDB store with changelog; per message: Avro decode, "
                + "read-modify-write of an Avro state, one forward";
    }

    @Override
    String applicationId() {
        return applicationId;
    }

    @Override
    String inputTopic() {
        return input;
    }

    @Override
    void createTopics(BenchStack stack, int partitions) {
        stack.createTopics(partitions, input, output);
    }

    @Override
    List<Probe> probes(LatencyRecorder endToEnd, LatencyRecorder inProcessor) {
        this.inProcessor = inProcessor;
        return List.of(new Probe(output, (record, receivedMs) -> endToEnd.record(record.timestamp(), receivedMs - record.timestamp())));
    }

    @Override
    boolean measuresInProcessor() {
        return true;
    }

    @Override
    KafkaStreams build(int commitIntervalMs) {
        Topology topology = new Topology();
        topology.addSource("in", new ByteArrayDeserializer(), new ByteArrayDeserializer(), input);
        topology.addProcessor("count", () -> new BareCountProcessor(STORE,
                (sentMs, latencyMs) -> inProcessor.record(sentMs, latencyMs)), "in");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.ByteArray())
                .withLoggingEnabled(Map.of("cleanup.policy", "compact")), "count");
        topology.addSink("out", output, new ByteArraySerializer(), new ByteArraySerializer(), "count");
        return new KafkaStreams(topology, properties(commitIntervalMs));
    }

    /** The same settings as {@code io.ved.runtime.StreamsSettings}, so only the processing differs. */
    private Properties properties(int commitIntervalMs) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        return props;
    }
}
