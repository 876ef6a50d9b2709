package io.ved.runtime;

import io.opentelemetry.api.OpenTelemetry;
import io.ved.api.DomainDefinition;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.registry.InMemorySchemaRegistry;
import io.ved.runtime.telemetry.MessageSpans;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileReader;
import io.ved.tooling.bench.BareCountProcessor;
import io.ved.tooling.bench.BenchDomains;
import io.ved.tooling.bench.model.BenchMessage;
import io.ved.tooling.bench.model.BenchState;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One record through a whole processor, without Kafka: Ved's {@code DomainProcessor} (decode, storm check,
 * mailbox gate, handler, state, trace) against the bare processor of variant (b), both on the same stores
 * (RocksDB as in production, or in memory to leave the store out) with Kafka Streams' MockProcessorContext.
 * The difference is Ved's own cost per message. Records come from a plain producer (no envelope headers), over
 * 1,000 keys.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ProcessorBench {
    private static final int KEYS = 1000;

    /**
     * bare: (b)'s processor; ved: defaults; ved-separate-thread: handlerThread separate (the default before it
     * was stream); ved-no-time-limit / ved-no-trace: handlerTimeoutMs 0 / trace off; ved-send: (d)'s relay domain
     * (one send per message), defaults.
     */
    @Param({"bare", "ved", "ved-separate-thread", "ved-no-time-limit", "ved-no-trace", "ved-send"})
    public String variant;

    @Param({"rocksdb", "memory"})
    public String store;

    private Path stateDir;
    private MockProcessorContext<byte[], byte[]> context;
    private Processor<byte[], byte[], byte[], byte[]> processor;
    private final List<KeyValueStore<String, byte[]>> stores = new ArrayList<>();
    private Record<byte[], byte[]>[] records;
    private int next;

    @Setup
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void setUp() throws IOException {
        stateDir = Files.createTempDirectory("ved-jmh-");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "jmh");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        context = new MockProcessorContext<>(props, new TaskId(0, 0), stateDir.toFile());
        context.setCurrentSystemTimeMs(1_700_000_000_000L);
        MessageCodec codec = new MessageCodec(new InMemorySchemaRegistry());
        codec.schemaIdOf(BenchMessage.class);
        records = new Record[KEYS * 4];
        for (int i = 0; i < records.length; i++) {
            records[i] = new Record<>(("k" + (i % KEYS)).getBytes(StandardCharsets.UTF_8),
                    codec.encode(new BenchMessage((long) i, "x".repeat(86))), 1_700_000_000_000L + i, new RecordHeaders());
        }
        if (variant.equals("bare")) {
            addStore("bench-state");
            processor = new BareCountProcessor("bench-state", null);
        } else {
            StringBuilder yaml = new StringBuilder("application: jmh\ndefaults:\n  partitions: 6\n");
            if (variant.contains("no-time-limit")) {
                yaml.append("  handlerTimeoutMs: 0\n");
            }
            if (variant.contains("separate-thread")) {
                yaml.append("  handlerThread: separate\n");
            }
            if (variant.contains("no-trace")) {
                yaml.append("  trace: false\n");
            }
            boolean relay = variant.equals("ved-send");
            yaml.append("domains:\n  - type: ").append(relay ? "RelayDomain" : "CounterDomain").append("\n    topic: jmh.inbox\n");
            if (relay) {
                yaml.append("  - type: SinkDomain\n    topic: jmh.sink\n");
            }
            TopologyFile file = TopologyFileReader.read(new ByteArrayInputStream(yaml.toString().getBytes(StandardCharsets.UTF_8)), "jmh");
            DomainDefinition<BenchState> domain = relay ? BenchDomains.relay() : BenchDomains.counter();
            DomainCatalog catalog = new DomainCatalog(file, List.of(domain));
            catalog.recordClasses().forEach(codec::schemaIdOf);
            VedTopology.Routes routes = VedTopology.Routes.of(domain.type().name(), file);
            routes.stores().forEach(this::addStore);
            processor = new DomainProcessor<>(domain, catalog, codec, routes, new MessageSpans(OpenTelemetry.noop()),
                    new io.ved.runtime.handler.HandlerIsolation(), 0);
        }
        context.setRecordMetadata("jmh.inbox", 0, 0L);
        processor.init(context);
    }

    private void addStore(String name) {
        var supplier = store.equals("rocksdb") ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
        KeyValueStore<String, byte[]> kv = Stores.keyValueStoreBuilder(supplier, Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        kv.init(context.getStateStoreContext(), kv);
        context.addStateStore(kv);
        stores.add(kv);
    }

    @Benchmark
    public void process() {
        Record<byte[], byte[]> record = records[next];
        next = next + 1 == records.length ? 0 : next + 1;
        context.resetForwards();
        processor.process(record);
    }

    @TearDown
    public void tearDown() throws IOException {
        processor.close();
        stores.forEach(KeyValueStore::close);
        try (Stream<Path> paths = Files.walk(stateDir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
