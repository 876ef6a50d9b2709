package io.ved.runtime;

import io.ved.runtime.topology.TopologyFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams configuration Ved runs with. Exactly-once v2 is the default because Ved's promise
 * (state change, consumed offset and sends commit together) depends on it; a user may still override
 * any setting explicitly.
 */
public final class StreamsSettings {

    private StreamsSettings() {
    }

    public static Properties of(TopologyFile file, String bootstrapServers, Path stateDir, Map<String, Object> overrides) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, file.application());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) file.highestReplicationFactor());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        // A crashed instance's partitions wait for its session to expire before another takes them over;
        // 10 s instead of 45 s bounds that pause, at the price of tolerating shorter GC stalls.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        props.putAll(overrides);
        return props;
    }
}
