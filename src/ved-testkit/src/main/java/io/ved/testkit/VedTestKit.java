package io.ved.testkit;

import io.opentelemetry.api.OpenTelemetry;
import io.ved.api.CorrelationId;
import io.ved.api.DomainDefinition;
import io.ved.api.DomainRef;
import io.ved.api.MessageId;
import io.ved.api.Sent;
import io.ved.envelope.Envelope;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.registry.InMemorySchemaRegistry;
import io.ved.internal.TraceRecord;
import io.ved.runtime.storm.Quarantine;
import io.ved.runtime.telemetry.MessageSpans;
import io.ved.runtime.DomainCatalog;
import io.ved.runtime.VedTopology;
import io.ved.runtime.deadletter.DeadLetter;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Runs a Ved application's domains in memory on Kafka Streams' TopologyTestDriver, with an in-memory schema
 * registry, so a domain test reads as a story: send a message, then look at the state, at what was sent and
 * to whom, and at the dead letters. The real topology runs, including every send between domains, until
 * nothing is left to handle.
 *
 * <pre>{@code
 * try (VedTestKit kit = VedTestKit.of("ved/topology/example.yaml", InventoryDomain.definition())) {
 *     kit.send(InventoryDomain.ref("A12"), new Restock("A12", 5));
 *     InventoryState stock = kit.stateOf(InventoryDomain.ref("A12"));
 *     assertThat(stock.getOnHand()).isEqualTo(5);
 * }
 * }</pre>
 */
public final class VedTestKit implements AutoCloseable {
    /** Test time starts here, not at the wall clock, so handlers see the same now() on every run. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final String SOURCE = "/ved-testkit";
    private static final Duration RETRY_STEP = Duration.ofMillis(100);

    private final DomainCatalog catalog;
    private final MessageCodec codec;
    private final TopologyTestDriver driver;
    private final Path stateDir;
    private final Map<String, TestInputTopic<byte[], byte[]>> inputs = new LinkedHashMap<>();
    private final Map<String, TestOutputTopic<byte[], byte[]>> outputs = new LinkedHashMap<>();
    private final List<Delivered> delivered = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final List<TraceRecord> traces = new ArrayList<>();
    private final List<Quarantine> quarantined = new ArrayList<>();
    private Instant now = START;
    private long sentCount;

    private VedTestKit(TopologyFile file, List<DomainDefinition<?>> domains) {
        this(file, domains, OpenTelemetry.noop());
    }

    private VedTestKit(TopologyFile file, List<DomainDefinition<?>> domains, OpenTelemetry openTelemetry) {
        this.catalog = new DomainCatalog(file, domains);
        this.codec = new MessageCodec(new InMemorySchemaRegistry());
        catalog.recordClasses().forEach(codec::schemaIdOf);
        this.stateDir = tempDir();
        this.driver = new TopologyTestDriver(VedTopology.build(catalog, codec, VedTopology.StoreKind.IN_MEMORY, openTelemetry),
                config(file, stateDir), START);
        file.domains().forEach(d -> {
            inputs.put(d.topic(), driver.createInputTopic(d.topic(), new ByteArraySerializer(), new ByteArraySerializer()));
            outputs.put(d.topic(), output(d.topic()));
        });
        outputs.put(file.replyTopic(), output(file.replyTopic()));
        outputs.put(file.deadLetterTopic(), output(file.deadLetterTopic()));
        outputs.put(file.traceTopic(), output(file.traceTopic()));
        outputs.put(file.stormTopic(), output(file.stormTopic()));
        outputs.put(file.depthTopic(), output(file.depthTopic()));
    }

    /** A kit for the domains, wired by a topology file on the classpath (e.g. {@code ved/topology/example.yaml}). */
    public static VedTestKit of(String topologyResource, DomainDefinition<?>... domains) {
        return new VedTestKit(TopologyFileReader.readResource(topologyResource), List.of(domains));
    }

    public static VedTestKit of(Path topologyFile, DomainDefinition<?>... domains) {
        return new VedTestKit(TopologyFileReader.read(topologyFile), List.of(domains));
    }

    public static VedTestKit of(TopologyFile topologyFile, List<? extends DomainDefinition<?>> domains) {
        return new VedTestKit(topologyFile, List.copyOf(domains));
    }

    /** A kit whose handling spans go to the given OpenTelemetry (e.g. an SDK with an in-memory exporter). */
    public static VedTestKit withTelemetry(OpenTelemetry openTelemetry, String topologyResource, DomainDefinition<?>... domains) {
        return new VedTestKit(TopologyFileReader.readResource(topologyResource), List.of(domains), openTelemetry);
    }

    /** Sends a message from outside Ved, as a producer or the CLI would, and runs everything it causes. */
    public Sent send(DomainRef target, SpecificRecord message) {
        MessageId id = MessageId.derivedFrom("testkit", Long.toString(++sentCount));
        return send(target, message, Envelope.root(id, message.getSchema().getFullName(), SOURCE, target, now, Optional.empty()));
    }

    /** Sends a message from outside Ved that joins an existing correlation. */
    public Sent send(DomainRef target, SpecificRecord message, CorrelationId correlation) {
        MessageId id = MessageId.derivedFrom("testkit", Long.toString(++sentCount));
        return send(target, message, Envelope.root(id, message.getSchema().getFullName(), SOURCE, target, now,
                Optional.of(correlation)));
    }

    /** Sends a message as if the given domain had sent it (one hop into a new correlation). */
    public Sent sendAs(DomainRef sender, DomainRef target, SpecificRecord message) {
        MessageId rootId = MessageId.derivedFrom("testkit", Long.toString(++sentCount));
        Envelope root = Envelope.root(rootId, "testkit", SOURCE, sender, now, Optional.empty());
        return send(target, message, root.child(MessageId.derivedFrom(rootId.value(), "as"), message.getSchema().getFullName(),
                sender, target, now));
    }

    private Sent send(DomainRef target, SpecificRecord message, Envelope envelope) {
        RecordHeaders headers = new RecordHeaders();
        EnvelopeHeaders.write(envelope, headers);
        MessageSpans.injectCurrent(headers);
        pipe(inboxOf(target), target.id().getBytes(StandardCharsets.UTF_8), codec.encode(message), headers);
        return new Sent(envelope.id(), envelope.correlation());
    }

    /** Pipes raw bytes into a domain's inbox, as a careless producer might: for testing bad input. */
    public void sendRaw(DomainRef target, byte[] key, byte[] value, Headers headers) {
        pipe(inboxOf(target), key, value, headers);
    }

    /** The wire-format bytes of a message, with its schema registered in the kit's registry. */
    public byte[] encode(SpecificRecord message) {
        return codec.encode(message);
    }

    /** The kit's in-memory schema registry, to register schemas a test needs (e.g. one no domain accepts). */
    public io.ved.envelope.registry.SchemaRegistry registry() {
        return codec.registry();
    }

    /**
     * Moves test time on, in the runtime's own retry-check steps so that every retry falling due in between
     * runs; later messages carry the later time and handlers see it as now().
     */
    public void advanceTime(Duration by) {
        Duration left = by;
        while (left.isPositive()) {
            Duration step = left.compareTo(RETRY_STEP) < 0 ? left : RETRY_STEP;
            driver.advanceWallClockTime(step);
            now = now.plus(step);
            left = left.minus(step);
        }
        drain();
    }

    public Instant now() {
        return now;
    }

    /** The current state of an instance: its initial state when it has handled nothing yet. */
    @SuppressWarnings("unchecked")
    public <S extends SpecificRecord> S stateOf(DomainRef ref) {
        DomainDefinition<?> domain = catalog.local(ref.type()).orElseThrow(() -> new IllegalArgumentException(
                ref.type() + " is not one of the domains under test"));
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(VedTopology.storeName(domain));
        byte[] stored = store.get(ref.id());
        return (S) (stored == null ? domain.initialState(ref.id()) : codec.decode(stored, domain.stateClass()));
    }

    /** Whether the instance has stored a state, i.e. has handled at least one message. */
    public boolean hasState(DomainRef ref) {
        DomainDefinition<?> domain = catalog.local(ref.type()).orElseThrow();
        return driver.getKeyValueStore(VedTopology.storeName(domain)).get(ref.id()) != null;
    }

    /** Every message sent between domains and every reply to outside since the kit started, in causal order. */
    public List<Delivered> sent() {
        drain();
        return List.copyOf(delivered);
    }

    /** The messages sent to one instance. */
    public List<Delivered> sentTo(DomainRef target) {
        return sent().stream().filter(d -> d.target().filter(target::equals).isPresent()).toList();
    }

    /** The messages an instance sent. */
    public List<Delivered> sentBy(DomainRef sender) {
        return sent().stream().filter(d -> d.sender().filter(sender::equals).isPresent()).toList();
    }

    /** Replies that went to senders outside Ved. */
    public List<Delivered> repliesToOutside() {
        return sent().stream().filter(d -> d.topic().equals(catalog.topologyFile().replyTopic())).toList();
    }

    /** Every message of one correlation, in causal order. */
    public List<Delivered> correlation(CorrelationId correlation) {
        return sent().stream().filter(d -> d.correlationId().equals(correlation)).toList();
    }

    public List<DeadLetter> deadLetters() {
        drain();
        return List.copyOf(deadLetters);
    }

    /** Messages stopped by storm protection (hop limit, loops), with the reason and the cycle. */
    public List<Quarantine> quarantined() {
        drain();
        return List.copyOf(quarantined);
    }

    /** The trace records written so far: one per outcome (handled, deferred, retry scheduled, dead-lettered). */
    public List<TraceRecord> traces() {
        drain();
        return List.copyOf(traces);
    }

    /** Forgets what was sent and dead-lettered so far, so the next assertions see only what follows. */
    public void clearOutputs() {
        drain();
        delivered.clear();
        deadLetters.clear();
        traces.clear();
        quarantined.clear();
    }

    private void pipe(String topic, byte[] key, byte[] value, Headers headers) {
        inputs.get(topic).pipeInput(new TestRecord<>(key, value, headers, now));
        now = now.plusMillis(1);
        drain();
    }

    private String inboxOf(DomainRef target) {
        return catalog.topologyFile().domain(target.type()).orElseThrow(() -> new IllegalArgumentException(
                target.type() + " is not a domain type of the topology file " + catalog.topologyFile().typeNames())).topic();
    }

    /**
     * Collects what the last input caused. The driver keeps one queue per topic, so the cross-topic order is
     * rebuilt causally: everything one input caused, ordered by hops (a stable sort keeps per-topic order).
     */
    private void drain() {
        String dlq = catalog.topologyFile().deadLetterTopic();
        String trace = catalog.topologyFile().traceTopic();
        String storms = catalog.topologyFile().stormTopic();
        String depth = catalog.topologyFile().depthTopic();
        List<Delivered> batch = new ArrayList<>();
        outputs.forEach((topic, output) -> output.readRecordsToList().forEach(r -> {
            if (topic.equals(depth)) {
                return; // what the runtime publishes for senders' backpressure: read, so the driver keeps nothing
            }
            if (topic.equals(dlq)) {
                deadLetters.add(DeadLetter.from(r.key(), r.value(), r.headers()));
            } else if (topic.equals(trace)) {
                traces.add(codec.decode(r.value(), TraceRecord.class));
            } else if (topic.equals(storms)) {
                quarantined.add(Quarantine.from(r.key(), r.value(), r.headers()));
            } else {
                batch.add(new Delivered(topic, new String(r.key(), StandardCharsets.UTF_8), decode(r.value()),
                        EnvelopeHeaders.read(r.headers())));
            }
        }));
        batch.sort(java.util.Comparator.comparingInt(Delivered::hops));
        delivered.addAll(batch);
    }

    private SpecificRecord decode(byte[] value) {
        return (SpecificRecord) codec.decodeAny(value);
    }

    private TestOutputTopic<byte[], byte[]> output(String topic) {
        return driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static Properties config(TopologyFile file, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, file.application() + "-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "test-kit:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return props;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("ved-testkit");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.close();
        deleteQuietly(stateDir);
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a leftover temp dir is harmless
        }
    }
}
