package io.ved.runtime;

import io.ved.api.DomainDefinition;
import io.opentelemetry.api.OpenTelemetry;
import io.ved.envelope.MessageCodec;
import io.ved.runtime.handler.HandlerIsolation;
import io.ved.runtime.telemetry.MessageSpans;
import io.ved.runtime.telemetry.Telemetry;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the Kafka Streams topology of a Ved application: per local domain type, one sub-topology of
 * inbox source -> mailbox processor (with two changelog-backed stores: the domain state, and the runtime's own
 * queues, outboxes, timers and rate buckets) -> one sink per topic it may send to, plus dead letters, traces and
 * quarantined storms. Sinks are per domain type so that each type stays its own sub-topology and scales with its own
 * partition count.
 */
public final class VedTopology {

    private VedTopology() {
    }

    /** Where the stores keep their data locally; either way every change goes to a changelog topic. */
    public enum StoreKind {
        /** RocksDB on disk: the production choice, holds more state than the heap. */
        PERSISTENT,
        /** On the heap: for the test kit, where a flush to disk after every record would dominate run time. */
        IN_MEMORY
    }

    /** The production topology: RocksDB stores, OpenTelemetry as the OTEL_* variables say (off by default). */
    public static Topology build(DomainCatalog catalog, MessageCodec codec) {
        return build(catalog, codec, StoreKind.PERSISTENT, Telemetry.fromEnvironment());
    }

    public static Topology build(DomainCatalog catalog, MessageCodec codec, StoreKind stores, OpenTelemetry openTelemetry) {
        return build(catalog, codec, stores, openTelemetry, Map.of());
    }

    /**
     * @param inboxPartitions the partition count of each inbox topic as the broker has it; a record on a partition
     *                        its key does not hash to is forwarded to the right one. Inboxes not in the map (e.g. in the
     *                        test driver, which has one partition) are not checked.
     */
    public static Topology build(DomainCatalog catalog, MessageCodec codec, StoreKind stores, OpenTelemetry openTelemetry,
                                 Map<String, Integer> inboxPartitions) {
        return build(catalog, codec, stores, openTelemetry, inboxPartitions, new HandlerIsolation());
    }

    /**
     * @param isolation what the application has learnt about handlers the stream thread cannot stop, and where
     *                  abandoned messages are recorded; shared by the instances of one runtime
     */
    public static Topology build(DomainCatalog catalog, MessageCodec codec, StoreKind stores, OpenTelemetry openTelemetry,
                                 Map<String, Integer> inboxPartitions, HandlerIsolation isolation) {
        return build(catalog, codec, stores, openTelemetry, inboxPartitions, isolation, null);
    }

    /**
     * @param config the topology-level settings of the application that runs it (transactional state stores, store
     *               type defaults); null for Kafka Streams' defaults, as in the test driver
     */
    public static Topology build(DomainCatalog catalog, MessageCodec codec, StoreKind stores, OpenTelemetry openTelemetry,
                                 Map<String, Integer> inboxPartitions, HandlerIsolation isolation,
                                 org.apache.kafka.streams.TopologyConfig config) {
        Topology topology = config == null ? new Topology() : new Topology(config);
        MessageSpans spans = new MessageSpans(openTelemetry);
        catalog.localDomains().forEach(domain -> addDomain(topology, catalog, codec, domain, stores, spans, isolation,
                inboxPartitions.getOrDefault(catalog.topicOf(domain.type()).topic(), 0)));
        return topology;
    }

    /** The state store of a domain type; its changelog topic is {@code <application>-<store>-changelog}. */
    public static String storeName(DomainDefinition<?> domain) {
        return storeName(domain.type().name());
    }

    public static String storeName(String domainType) {
        return domainType + "-state";
    }

    /**
     * The node and store names of one domain type's sub-topology.
     *
     * @param sinkByTopic the sink node for each topic the domain may send to
     */
    record Routes(String stateStore, String runtimeStore, Map<String, String> sinkByTopic,
                  String deadLetterSink, String traceSink, String stormSink, String depthSink) {

        static Routes of(String type, TopologyFile file) {
            Map<String, String> sinks = new LinkedHashMap<>();
            targetTopics(file).forEach(topic -> sinks.put(topic, type + "-to-" + topic));
            return new Routes(storeName(type), type + "-runtime", Map.copyOf(sinks),
                    type + "-deadletters", type + "-trace", type + "-storms", type + "-depth");
        }

        String sinkFor(String topic) {
            String sink = sinkByTopic.get(topic);
            if (sink == null) {
                throw new IllegalStateException("no route to topic " + topic);
            }
            return sink;
        }

        List<String> stores() {
            return List.of(stateStore, runtimeStore);
        }
    }

    private static <S extends SpecificRecord> void addDomain(Topology topology, DomainCatalog catalog, MessageCodec codec,
                                                             DomainDefinition<S> domain, StoreKind stores,
                                                             MessageSpans spans, HandlerIsolation isolation,
                                                             int inboxPartitions) {
        TopologyFile file = catalog.topologyFile();
        DomainTopic inbox = catalog.topicOf(domain.type());
        String source = domain.type() + "-inbox";
        String mailbox = domain.type() + "-mailbox-processor";
        Routes routes = Routes.of(domain.type().name(), file);

        topology.addSource(source, new ByteArrayDeserializer(), new ByteArrayDeserializer(), inbox.topic());
        topology.addProcessor(mailbox, () -> new DomainProcessor<>(domain, catalog, codec, routes, spans, isolation, inboxPartitions), source);
        routes.stores().forEach(store -> topology.addStateStore(store(store, stores), mailbox));
        routes.sinkByTopic().forEach((topic, sink) -> addSink(topology, sink, topic, mailbox));
        addSink(topology, routes.deadLetterSink(), file.deadLetterTopic(), mailbox);
        addSink(topology, routes.traceSink(), file.traceTopic(), mailbox);
        addSink(topology, routes.stormSink(), file.stormTopic(), mailbox);
        addSink(topology, routes.depthSink(), file.depthTopic(), mailbox);
    }

    private static void addSink(Topology topology, String name, String topic, String parent) {
        topology.addSink(name, topic, new ByteArraySerializer(), new ByteArraySerializer(), parent);
    }

    /** Every inbox (a reply may go to any domain type that sent to this one) and the reply topic for outside senders. */
    private static Set<String> targetTopics(TopologyFile file) {
        Set<String> topics = new LinkedHashSet<>();
        file.domains().forEach(d -> topics.add(d.topic()));
        topics.add(file.replyTopic());
        return topics;
    }

    private static StoreBuilder<KeyValueStore<String, byte[]>> store(String name, StoreKind kind) {
        var supplier = kind == StoreKind.PERSISTENT ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
        return Stores.keyValueStoreBuilder(supplier, Serdes.String(), Serdes.ByteArray())
                .withLoggingEnabled(Map.of("cleanup.policy", "compact"));
    }
}
