package io.ved.runtime;

import io.opentelemetry.api.OpenTelemetry;
import io.ved.api.DomainDefinition;
import io.ved.api.DomainRef;
import io.ved.api.MessageId;
import io.ved.envelope.Envelope;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.registry.InMemorySchemaRegistry;
import io.ved.runtime.deadletter.DeadLetter;
import io.ved.runtime.handler.HandlerIsolation;
import io.ved.runtime.topology.TopologyFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The runtime's topology on a TopologyTestDriver, for tests that need what the test kit keeps inside: the handler
 * isolation, the runtime store, the depth topic.
 */
final class RuntimeDriver implements AutoCloseable {
    static final Instant START = Instant.parse("2026-06-01T00:00:00Z");

    private final TopologyFile file;
    private final MessageCodec codec = new MessageCodec(new InMemorySchemaRegistry());
    private final TopologyTestDriver driver;
    private Instant now = START;

    RuntimeDriver(TopologyFile file, List<DomainDefinition<?>> domains, HandlerIsolation isolation) throws Exception {
        this.file = file;
        DomainCatalog catalog = new DomainCatalog(file, domains);
        catalog.recordClasses().forEach(codec::schemaIdOf);
        Path stateDir = Files.createTempDirectory("ved-runtime-driver");
        this.driver = new TopologyTestDriver(VedTopology.build(catalog, codec, VedTopology.StoreKind.IN_MEMORY,
                OpenTelemetry.noop(), Map.of(), isolation), config(file, stateDir), START);
    }

    /** An envelope from outside Ved with this id, addressed to the target. */
    static Envelope envelope(String id, DomainRef target, SpecificRecord message) {
        return Envelope.root(new MessageId(id), message.getSchema().getFullName(), "/runtime-driver", target, START,
                Optional.empty());
    }

    void send(Envelope envelope, SpecificRecord message) {
        RecordHeaders headers = new RecordHeaders();
        EnvelopeHeaders.write(envelope, headers);
        String inbox = file.domains().stream().filter(d -> envelope.subject().startsWith(d.type().name() + "["))
                .findFirst().orElseThrow().topic();
        driver.createInputTopic(inbox, new ByteArraySerializer(), new ByteArraySerializer())
                .pipeInput(new TestRecord<>(DomainRef.parse(envelope.subject()).id().getBytes(StandardCharsets.UTF_8),
                        codec.encode(message), headers, now));
    }

    void advance(Duration by) {
        now = now.plus(by);
        driver.advanceWallClockTime(by);
    }

    List<DeadLetter> deadLetters() {
        return driver.createOutputTopic(file.deadLetterTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .readRecordsToList().stream().map(r -> DeadLetter.from(r.key(), r.value(), r.headers())).toList();
    }

    /** The records published to the depth topic since the last call, as their JSON values. */
    List<String> depthRecords() {
        return driver.createOutputTopic(file.depthTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .readValuesToList().stream().map(v -> new String(v, StandardCharsets.UTF_8)).toList();
    }

    /** How many keys of the domain type's runtime store start with the prefix. */
    long runtimeKeys(String domainType, String prefix) {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(domainType + "-runtime");
        long count = 0;
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> next = all.next();
                if (next.key.startsWith(prefix)) {
                    count++;
                }
            }
        }
        return count;
    }

    private static Properties config(TopologyFile file, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, file.application());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return props;
    }

    @Override
    public void close() {
        driver.close();
    }
}
