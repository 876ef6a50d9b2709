package io.ved.runtime;

import io.ved.api.DomainDefinition;
import io.ved.envelope.MessageCodec;
import io.ved.runtime.topology.TopologyFile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the latest state of every instance of a domain type from its changelog topic: what the state stores
 * hold, without asking the running application. For the tools, the demo and the test kit; {@code ved state} asks the live
 * application instead.
 */
public final class StateReader {
    private final String bootstrap;
    private final MessageCodec codec;

    public StateReader(String bootstrap, MessageCodec codec) {
        this.bootstrap = bootstrap;
        this.codec = codec;
    }

    public static String changelogTopic(TopologyFile file, DomainDefinition<?> domain) {
        return file.application() + "-" + VedTopology.storeName(domain) + "-changelog";
    }

    /** Domain id -> latest state, sorted by id; instances whose latest record is a tombstone are left out. */
    public <S extends SpecificRecord> Map<String, S> states(TopologyFile file, DomainDefinition<S> domain, Duration timeout)
            throws TimeoutException {
        Map<String, S> states = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(bootstrap, java.util.List.of(changelogTopic(file, domain)), timeout)) {
            String id = new String(r.key(), StandardCharsets.UTF_8);
            if (r.value() == null) {
                states.remove(id);
            } else {
                states.put(id, codec.decode(r.value(), domain.stateClass()));
            }
        }
        return states;
    }
}
