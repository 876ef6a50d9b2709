package io.ved.runtime;

import io.opentelemetry.api.OpenTelemetry;
import io.ved.api.DomainDefinition;
import io.ved.api.DomainRef;
import io.ved.api.Handler;
import io.ved.api.MessageId;
import io.ved.envelope.Envelope;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.RecordPosition;
import io.ved.envelope.registry.InMemorySchemaRegistry;
import io.ved.runtime.handler.HandlerRunner;
import io.ved.runtime.storm.StormGuard;
import io.ved.runtime.storm.StormPolicy;
import io.ved.runtime.storm.Trail;
import io.ved.runtime.telemetry.MessageSpans;
import io.ved.runtime.topology.HandlerThread;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileReader;
import io.ved.tooling.bench.BenchDomains;
import io.ved.tooling.bench.model.BenchMessage;
import io.ved.tooling.bench.model.BenchState;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The steps of Ved's hot path one by one: what {@code DomainProcessor.process} does for every record, in the
 * order it does it (decode the value and the envelope, the trail and the storm check, the handler call, encode
 * the state, the trace record). In package io.ved.runtime to reach the package-private parts; nothing here
 * changes them. Run: {@code mvn -Pbench -DskipTests test-compile exec:exec@jmh -Djmh.args="HotPathBench -prof gc"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HotPathBench {
    private static final String TYPE = BenchMessage.getClassSchema().getFullName();

    private MessageCodec codec;
    private DomainDefinition<BenchState> domain;
    private DomainCatalog catalog;
    private InboxDecoder decoder;
    private byte[] key;
    private byte[] messageBytes;
    private byte[] stateBytes;
    private BenchMessage message;
    private BenchState state;
    private RecordHeaders plainHeaders;
    private RecordHeaders vedHeaders;
    private RecordPosition position;
    private DomainRef target;
    private Envelope envelope;
    private Trail trail;
    private StormGuard stormGuard;
    private Handler<BenchState, BenchMessage> handler;
    private HandlerRunner onThread;
    private HandlerRunner watched;
    private HandlerRunner separateThread;
    private Tracer tracer;
    private Blackhole sink;

    @Setup
    public void setUp(Blackhole blackhole) {
        sink = blackhole;
        codec = new MessageCodec(new InMemorySchemaRegistry());
        domain = BenchDomains.counter();
        TopologyFile file = TopologyFileReader.read(new ByteArrayInputStream(
                "application: jmh\ndomains:\n  - type: CounterDomain\n    topic: jmh.inbox\n".getBytes(StandardCharsets.UTF_8)), "jmh");
        catalog = new DomainCatalog(file, List.of(domain));
        catalog.recordClasses().forEach(codec::schemaIdOf);
        decoder = new InboxDecoder(domain, codec);
        key = "k42".getBytes(StandardCharsets.UTF_8);
        message = new BenchMessage(123_456L, "x".repeat(86));
        messageBytes = codec.encode(message);
        state = new BenchState(41L, 123_455L);
        stateBytes = codec.encode(state);
        target = BenchDomains.COUNTER.ref("k42");
        position = new RecordPosition("jmh.inbox", 3, 1_234_567L, 1_700_000_000_000L);
        plainHeaders = new RecordHeaders();
        // A message as another domain sends it: the full envelope and a trail of three steps.
        Envelope parent = Envelope.root(MessageId.random(), TYPE, "/external", target, Instant.ofEpochMilli(1_700_000_000_000L), Optional.empty());
        envelope = parent.child(MessageId.derivedFrom(parent.id().value(), "send", "0"), TYPE,
                DomainRef.of("RelayDomain", "k42"), target, parent.time());
        vedHeaders = new RecordHeaders();
        EnvelopeHeaders.write(envelope, vedHeaders);
        Trail.read(new RecordHeaders()).extend("A[1]", "Ping").extend("B[2]", "Pong").extend("RelayDomain[k42]", "BenchMessage")
                .write(vedHeaders);
        trail = Trail.read(vedHeaders).extend(target.toString(), "BenchMessage");
        stormGuard = new StormGuard(StormPolicy.DEFAULT);
        handler = domain.handlerFor(BenchMessage.class);
        onThread = HandlerRunner.of(Duration.ZERO, HandlerThread.STREAM, "jmh-handler");
        watched = HandlerRunner.of(Duration.ofSeconds(5), HandlerThread.STREAM, "jmh-handler");
        separateThread = HandlerRunner.of(Duration.ofSeconds(5), HandlerThread.SEPARATE, "jmh-handler");
        tracer = new Tracer(true, codec, record -> sink.consume(record));
        // A span as the processor starts one with OpenTelemetry off (the default).
        new MessageSpans(OpenTelemetry.noop());
    }

    @TearDown
    public void tearDown() {
        watched.close();
        separateThread.close();
    }

    /** Decode: the value (schema id lookup, Avro) and the envelope, as InboxDecoder does for a plain producer's record. */
    @Benchmark
    public Object decodePlainRecord() {
        return decoder.decode(key, messageBytes, plainHeaders, position);
    }

    /** Decode a record another domain sent: the envelope headers are read instead of derived. */
    @Benchmark
    public Object decodeVedRecord() {
        return decoder.decode(key, messageBytes, vedHeaders, position);
    }

    @Benchmark
    public BenchMessage codecDecodeMessage() {
        return codec.decode(messageBytes, BenchMessage.class);
    }

    @Benchmark
    public byte[] codecEncodeMessage() {
        return codec.encode(message);
    }

    @Benchmark
    public BenchState codecDecodeState() {
        return codec.decode(stateBytes, BenchState.class);
    }

    @Benchmark
    public byte[] codecEncodeState() {
        return codec.encode(state);
    }

    /** A record from a plain producer: the id is derived from topic, partition and offset (a name-based UUID). */
    @Benchmark
    public Envelope envelopeReadPlain() {
        return EnvelopeHeaders.readOnEntry(plainHeaders, position, target, TYPE);
    }

    @Benchmark
    public Envelope envelopeReadVed() {
        return EnvelopeHeaders.readOnEntry(vedHeaders, position, target, TYPE);
    }

    @Benchmark
    public RecordHeaders envelopeWrite() {
        RecordHeaders headers = new RecordHeaders();
        EnvelopeHeaders.write(envelope, headers);
        return headers;
    }

    @Benchmark
    public MessageId derivedMessageId() {
        return MessageId.derivedFrom("jmh.inbox", "3", "1234567");
    }

    /** What every record pays for loop detection when it carries no trail (a plain producer's). */
    @Benchmark
    public Trail trailReadExtendEmpty() {
        return Trail.read(plainHeaders).extend(target.toString(), "BenchMessage");
    }

    @Benchmark
    public Trail trailReadExtendThreeSteps() {
        return Trail.read(vedHeaders).extend(target.toString(), "BenchMessage");
    }

    /** What a send pays for the trail: written into the sent record's headers. */
    @Benchmark
    public RecordHeaders trailWrite() {
        RecordHeaders headers = new RecordHeaders();
        trail.write(headers);
        return headers;
    }

    @Benchmark
    public Object stormCheck() {
        return stormGuard.check(envelope, trail);
    }

    /** The handler itself, with its context. */
    @Benchmark
    public BenchState handlerCall() {
        HandlingContext ctx = new HandlingContext(domain, catalog, envelope, target);
        return handler.handle(state, message, ctx);
    }

    /** The handler run as with handlerTimeoutMs: 0, on the calling thread. */
    @Benchmark
    public BenchState handlerRunnerOnThread() {
        return onThread.run(envelope, () -> handler.handle(state, message, new HandlingContext(domain, catalog, envelope, target)));
    }

    /** The handler run as by default (a 5 s limit, handlerThread: stream): on the calling thread, watched. */
    @Benchmark
    public BenchState handlerRunnerWatched() {
        return watched.run(envelope, () -> handler.handle(state, message, new HandlingContext(domain, catalog, envelope, target)));
    }

    /** The handler run with handlerThread: separate: handed to another thread and waited for. */
    @Benchmark
    public BenchState handlerRunnerSeparateThread() {
        return separateThread.run(envelope, () -> handler.handle(state, message, new HandlingContext(domain, catalog, envelope, target)));
    }

    /** The trace record of a handled message: built, Avro-encoded, forwarded. */
    @Benchmark
    public void traceRecord() {
        tracer.handled(envelope, position, 1_700_000_000_123L, 7L, List.of());
    }
}
