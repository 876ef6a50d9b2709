package io.ved.it;

import io.ved.envelope.MessageCodec;
import io.ved.envelope.registry.SchemaRegistry;
import io.ved.runtime.topology.TopologyFile;
import io.ved.testdomains.Append;
import io.ved.testdomains.LedgerDomain;
import io.ved.testdomains.LedgerState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Load for ledger instances from a plain Kafka producer (no Ved headers, as any outside producer would
 * send): message k goes to instance k mod n with entry k, so every instance's expected ledger is known.
 */
final class LedgerLoad {
    private final int instances;

    LedgerLoad(int instances) {
        this.instances = instances;
    }

    void send(String bootstrap, SchemaRegistry registry, TopologyFile topology, long fromInclusive, long toExclusive) {
        MessageCodec codec = new MessageCodec(registry);
        String topic = topology.require(LedgerDomain.LEDGER).topic();
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long k = fromInclusive; k < toExclusive; k++) {
                producer.send(new ProducerRecord<>(topic, key(k), codec.encode(new Append(k, false, null))));
            }
            producer.flush();
        }
    }

    private byte[] key(long k) {
        return instanceId(k % instances).getBytes(StandardCharsets.UTF_8);
    }

    static String instanceId(long i) {
        return "i-" + i;
    }

    /** The ledger each instance must hold after messages 0 until {@code sent}: each entry once, in order. */
    List<Long> expected(long instance, long sent) {
        List<Long> entries = new ArrayList<>();
        for (long k = instance; k < sent; k += instances) {
            entries.add(k);
        }
        return entries;
    }

    /** Instances whose ledger differs from the expected one, described for a failure message. */
    List<String> mismatches(Map<String, LedgerState> states, long sent) {
        List<String> wrong = new ArrayList<>();
        for (long i = 0; i < instances; i++) {
            LedgerState state = states.get(instanceId(i));
            List<Long> actual = state == null ? List.of() : state.getEntries();
            List<Long> expected = expected(i, sent);
            if (!actual.equals(expected)) {
                wrong.add(instanceId(i) + ": expected " + expected + " but was " + actual);
            }
        }
        return wrong;
    }
}
