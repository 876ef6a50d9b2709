package io.ved.runtime;

import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams configuration Ved runs with. Exactly-once v2 and read_committed consumers are what Ved's
 * promise (state change, consumed offset and sends commit together, and nobody acts on an aborted send) rests on,
 * so an override that weakens either is refused unless {@value #ALLOW_WEAKER_GUARANTEE} is set to {@code true};
 * every other setting may be overridden.
 */
public final class StreamsSettings {
    /** The explicit opt-out that lets an override weaken processing.guarantee or isolation.level. */
    public static final String ALLOW_WEAKER_GUARANTEE = "ved.allow.weaker.guarantee";

    private StreamsSettings() {
    }

    /**
     * @throws TopologyFileException naming the setting and the opt-out when an override weakens the guarantee
     */
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
        maxPollIntervalMs(file).ifPresent(ms ->
                props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), ms));
        checkGuarantee(overrides);
        overrides.forEach((key, value) -> {
            // the registry client's settings (credentials, truststore) are not Kafka's: never hand them to its clients
            if (!key.equals(ALLOW_WEAKER_GUARANTEE) && !key.startsWith(io.ved.envelope.registry.HttpSchemaRegistry.SETTINGS_PREFIX)) {
                props.put(key, value);
            }
        });
        return props;
    }

    /**
     * A stream thread stuck in a handler keeps its partitions until its consumer leaves the group,
     * {@code max.poll.interval.ms} after its last poll: Ved makes that 30 s instead of Kafka's 5 minutes, or ten
     * times the longest handler limit if that is more (the watchdog gives a stuck thread up at twice the limit, and
     * Kafka Streams goes back to poll after half the interval, so the abandoned message is recorded well before the
     * partition can move). Empty, leaving Kafka's default, when a domain type has no handler limit: its handlers may
     * legitimately run for minutes.
     */
    static java.util.OptionalInt maxPollIntervalMs(TopologyFile file) {
        if (file.domains().stream().anyMatch(d -> d.policy().handlerTimeout().isZero())) {
            return java.util.OptionalInt.empty();
        }
        return java.util.OptionalInt.of((int) Math.min(Integer.MAX_VALUE, Math.max(DEFAULT_MAX_POLL_INTERVAL_MS,
                10 * file.longestHandlerTimeout().toMillis())));
    }

    static final int DEFAULT_MAX_POLL_INTERVAL_MS = 30_000;

    /**
     * Kafka Streams would only log that it ignores {@code num.standby.replicas} under the streams rebalance protocol,
     * and the application would run without the standbys its operator asked for: refused when the application is
     * built instead.
     */
    public static void checkGroupProtocol(Map<String, Object> overrides) {
        boolean streams = "streams".equalsIgnoreCase(String.valueOf(overrides.get(StreamsConfig.GROUP_PROTOCOL_CONFIG)).trim());
        Object standbys = overrides.get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG);
        if (streams && standbys != null && !"0".equals(String.valueOf(standbys).trim())) {
            throw new TopologyFileException(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG + "=" + standbys + " has no effect with "
                    + StreamsConfig.GROUP_PROTOCOL_CONFIG + "=streams: the broker assigns standbys there; remove it and set the"
                    + " group's streams.num.standby.replicas on the broker (kafka-configs --entity-type groups --entity-name"
                    + " <application> --alter --add-config streams.num.standby.replicas=" + standbys + "), or use the classic protocol");
        }
    }

    /**
     * Refuses overrides that weaken exactly-once processing or read_committed reading, unless
     * {@value #ALLOW_WEAKER_GUARANTEE}{@code =true} is among them. Called when the application is built, so the
     * mistake is reported before anything connects.
     *
     * @throws TopologyFileException naming the setting, why it is refused and the opt-out
     */
    public static void checkGuarantee(Map<String, Object> overrides) {
        if (Boolean.parseBoolean(String.valueOf(overrides.getOrDefault(ALLOW_WEAKER_GUARANTEE, "false")).trim())) {
            return;
        }
        Object guarantee = overrides.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
        if (guarantee != null && !StreamsConfig.EXACTLY_ONCE_V2.equals(String.valueOf(guarantee).trim())) {
            throw new TopologyFileException(StreamsConfig.PROCESSING_GUARANTEE_CONFIG + "=" + guarantee
                    + " is refused: Ved's state changes, consumed offsets and sends commit atomically only with "
                    + StreamsConfig.EXACTLY_ONCE_V2 + "; remove the setting, or also set " + ALLOW_WEAKER_GUARANTEE
                    + "=true to accept duplicates and lost effects after a crash");
        }
        for (String key : new String[] {ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG),
                StreamsConfig.mainConsumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG),
                StreamsConfig.restoreConsumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG),
                StreamsConfig.globalConsumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG)}) {
            Object level = overrides.get(key);
            if (level != null && !"read_committed".equals(String.valueOf(level).trim())) {
                throw new TopologyFileException(key + "=" + level + " is refused: a Ved application must read only "
                        + "committed messages (read_committed), or it acts on sends whose transaction was aborted; remove "
                        + "the setting, or also set " + ALLOW_WEAKER_GUARANTEE + "=true");
            }
        }
    }
}
