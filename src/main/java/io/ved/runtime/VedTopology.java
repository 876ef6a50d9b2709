package io.ved.runtime;

import io.ved.api.DomainDefinition;
import io.ved.envelope.MessageCodec;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
 * inbox source -> mailbox processor (with its changelog-backed state store) -> one sink per topic it may
 * send to. Sinks are per domain type so that each type stays its own sub-topology and scales with its own
 * partition count.
 */
public final class VedTopology {

    private VedTopology() {
    }

    public static Topology build(DomainCatalog catalog, MessageCodec codec) {
        Topology topology = new Topology();
        catalog.localDomains().forEach(domain -> addDomain(topology, catalog, codec, domain));
        return topology;
    }

    /** The state store of a domain type; its changelog topic is {@code <application>-<store>-changelog}. */
    public static String storeName(DomainDefinition<?> domain) {
        return storeName(domain.type().name());
    }

    public static String storeName(String domainType) {
        return domainType + "-state";
    }

    private static <S extends SpecificRecord> void addDomain(Topology topology, DomainCatalog catalog, MessageCodec codec,
                                                             DomainDefinition<S> domain) {
        TopologyFile file = catalog.topologyFile();
        DomainTopic inbox = catalog.topicOf(domain.type());
        String source = domain.type() + "-inbox";
        String mailbox = domain.type() + "-mailbox";
        String store = storeName(domain);
        Map<String, String> sinkByTopic = new LinkedHashMap<>();
        for (String topic : targetTopics(file)) {
            sinkByTopic.put(topic, domain.type() + "-to-" + topic);
        }
        String deadLetterSink = domain.type() + "-deadletters";

        topology.addSource(source, new ByteArrayDeserializer(), new ByteArrayDeserializer(), inbox.topic());
        topology.addProcessor(mailbox,
                () -> new DomainProcessor<>(domain, catalog, codec, store, sinkByTopic, deadLetterSink), source);
        topology.addStateStore(stateStore(store), mailbox);
        sinkByTopic.forEach((topic, sink) ->
                topology.addSink(sink, topic, new ByteArraySerializer(), new ByteArraySerializer(), mailbox));
        topology.addSink(deadLetterSink, file.deadLetterTopic(), new ByteArraySerializer(), new ByteArraySerializer(), mailbox);
    }

    /** Every inbox (a reply may go to any domain type that sent to this one) and the reply topic for outside senders. */
    private static Set<String> targetTopics(TopologyFile file) {
        Set<String> topics = new LinkedHashSet<>();
        file.domains().forEach(d -> topics.add(d.topic()));
        topics.add(file.replyTopic());
        return topics;
    }

    private static StoreBuilder<KeyValueStore<String, byte[]>> stateStore(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
                .withLoggingEnabled(Map.of("cleanup.policy", "compact"));
    }
}
