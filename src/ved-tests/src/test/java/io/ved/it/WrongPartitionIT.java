package io.ved.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ved.envelope.MessageCodec;
import io.ved.internal.TraceOutcome;
import io.ved.internal.TraceRecord;
import io.ved.runtime.topology.TopologyFile;
import io.ved.testdomains.Append;
import io.ved.testdomains.LedgerDomain;
import io.ved.testdomains.LedgerState;
import io.ved.runtime.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer whose partitioner is not Kafka's murmur2 (here CRC32, as librdkafka's default) puts an instance's
 * messages on another partition than Ved's own sends would; Ved forwards each such record to the right partition,
 * so every instance still has one state holding all its messages, in order.
 */
class WrongPartitionIT {
    private static final int INSTANCES = 100;
    private static final int MESSAGES = 1_000;

    /** librdkafka's consistent partitioner: CRC32 of the key. */
    public static final class Crc32Partitioner implements Partitioner {
        @Override
        public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
            CRC32 crc = new CRC32();
            crc.update(keyBytes);
            return (int) (crc.getValue() % cluster.partitionCountForTopic(topic));
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }

    @Test
    void everyInstanceEndsWithOneStateHoldingAllItsMessagesInOrder(@TempDir Path stateDir) throws Exception {
        RealStack stack = RealStack.get();
        TopologyFile topology = TestTopologies.unique("topology/ledger-6.yaml", "wrong-partition");
        String inbox = topology.require(LedgerDomain.LEDGER).topic();
        try (RunningApp app = new RunningApp(stack, topology, List.of(LedgerDomain.ledger(), LedgerDomain.audit()))) {
            app.start(stateDir);
            MessageCodec codec = new MessageCodec(app.registry());
            Map<String, List<Long>> expected = new HashMap<>();
            int misplaced = 0;
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap(),
                    ProducerConfig.PARTITIONER_CLASS_CONFIG, Crc32Partitioner.class.getName()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                for (long seq = 1; seq <= MESSAGES; seq++) {
                    String id = "i" + (seq % INSTANCES);
                    byte[] key = id.getBytes(StandardCharsets.UTF_8);
                    expected.computeIfAbsent(id, k -> new ArrayList<>()).add(seq);
                    producer.send(new ProducerRecord<>(inbox, key, codec.encode(new Append(seq, false, null))));
                    CRC32 crc = new CRC32();
                    crc.update(key);
                    if (crc.getValue() % 6 != Utils.toPositive(Utils.murmur2(key)) % 6) {
                        misplaced++;
                    }
                }
                producer.flush();
            }
            assertThat(misplaced).as("the test sends most messages to the wrong partition").isGreaterThan(MESSAGES / 2);

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                Map<String, LedgerState> states = app.states(LedgerDomain.ledger());
                for (var e : expected.entrySet()) {
                    assertThat(states.get(e.getKey())).as("state of %s", e.getKey()).isNotNull();
                    assertThat(states.get(e.getKey()).getEntries()).as("entries of %s", e.getKey()).isEqualTo(e.getValue());
                }
            });
            long rerouted = TopicReader.readAll(stack.bootstrap(), List.of(topology.traceTopic()), Duration.ofSeconds(30)).stream()
                    .map(r -> codec.decode(r.value(), TraceRecord.class))
                    .filter(t -> t.getOutcome() == TraceOutcome.REROUTED).count();
            assertThat(rerouted).as("each misplaced record is traced as rerouted").isEqualTo(misplaced);
        }
    }
}
