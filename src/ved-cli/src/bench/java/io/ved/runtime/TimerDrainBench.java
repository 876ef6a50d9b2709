package io.ved.runtime;

import io.ved.api.DomainDefinition;
import io.ved.api.DomainType;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.registry.InMemorySchemaRegistry;
import io.ved.runtime.topology.DomainPolicy;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import io.ved.tooling.bench.model.BenchMessage;
import io.ved.tooling.bench.model.BenchState;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * A million timers falling due at once, as after downtime: how the punctuator drains them. The real
 * {@code DomainProcessor} runs on Kafka Streams' TopologyTestDriver with RocksDB stores (as in production); one
 * handler call sets {@code perMessage} timers, all due at the same instant; then the wall clock jumps past it and
 * moves on in the punctuator's 100 ms steps. It prints, per run, how many timers each punctuation fired, the longest
 * punctuation, and the heap in use after each punctuation; run it with a small {@code -Xmx} to show the heap bound holds.
 * There is no broker here, so no transaction: the longest punctuation is what one transaction would have to hold.
 *
 * <p>{@code mvn -Pbench -DskipTests test-compile exec:exec@timer-drain -Dtimers=1000000}
 */
public final class TimerDrainBench {
    private static final DomainType TIMERS = DomainType.named("TimerDomain");
    private static final DomainType SINK = DomainType.named("SinkDomain");
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private TimerDrainBench() {
    }

    public static void main(String[] args) throws Exception {
        long timers = Long.parseLong(System.getProperty("timers", "1000000"));
        int perMessage = Integer.parseInt(System.getProperty("perMessage", "1000"));
        Instant due = START.plus(Duration.ofHours(1));
        DomainDefinition<BenchState> domain = DomainDefinition.of(TIMERS, BenchState.class)
                .initialState(id -> new BenchState(0L, -1L))
                .on(BenchMessage.class, (state, m, ctx) -> {
                    for (int i = 0; i < m.getSeq(); i++) {
                        ctx.sendAt(due, SINK.ref(ctx.self().id() + "-" + i), m);
                    }
                    return new BenchState(state.getCount() + m.getSeq(), m.getSeq());
                })
                .sends(SINK, BenchMessage.class)
                .build();
        DomainPolicy untraced = new DomainPolicy(DomainPolicy.DEFAULT.retry(), DomainPolicy.DEFAULT.handlerTimeout(),
                DomainPolicy.DEFAULT.handlerThread(), false, DomainPolicy.DEFAULT.storm(), DomainPolicy.DEFAULT.throttle());
        TopologyFile file = new TopologyFile("ved-timer-drain", "drain.deadletters", "drain.replies",
                List.of(new DomainTopic(TIMERS, "drain.timers", 1, (short) 1, -1, untraced),
                        new DomainTopic(SINK, "drain.sink", 1, (short) 1, -1)));
        DomainCatalog catalog = new DomainCatalog(file, List.of(domain));
        MessageCodec codec = new MessageCodec(new InMemorySchemaRegistry());
        catalog.recordClasses().forEach(codec::schemaIdOf);
        Path stateDir = Files.createTempDirectory("ved-timer-drain");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ved-timer-drain");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "bench:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(VedTopology.build(catalog, codec,
                VedTopology.StoreKind.PERSISTENT, io.opentelemetry.api.OpenTelemetry.noop()), props, START)) {
            TestInputTopic<byte[], byte[]> in = driver.createInputTopic("drain.timers", new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic("drain.sink", new ByteArrayDeserializer(), new ByteArrayDeserializer());
            // The driver keeps every record produced, changelogs too, until it is read: read and drop them as they
            // come, so the heap figures are Ved's and not the driver's.
            List<TestOutputTopic<byte[], byte[]>> changelogs = List.of("TimerDomain-runtime", "TimerDomain-state").stream()
                    .map(store -> driver.createOutputTopic("ved-timer-drain-" + store + "-changelog", new ByteArrayDeserializer(),
                            new ByteArrayDeserializer())).toList();
            long started = System.nanoTime();
            long messages = (timers + perMessage - 1) / perMessage;
            for (long n = 0; n < messages; n++) {
                long count = Math.min(perMessage, timers - n * perMessage);
                RecordHeaders headers = new RecordHeaders();
                EnvelopeHeaders.put(headers, EnvelopeHeaders.ID, "schedule-" + n);
                in.pipeInput(new TestRecord<>(("t" + n).getBytes(StandardCharsets.UTF_8),
                        codec.encode(new BenchMessage(count, "")), headers, START));
                changelogs.forEach(TestOutputTopic::readRecordsToList);
            }
            double scheduleSeconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("scheduled %,d timers (%,d messages of %,d) in %.1f s, all due at %s%n", timers, messages,
                    perMessage, scheduleSeconds, due);

            System.gc();
            long heapBefore = heapUsed();
            driver.advanceWallClockTime(Duration.between(START, due).minus(DomainProcessor.DUE_CHECK_INTERVAL));
            long fired = 0;
            int punctuations = 0;
            long longestNanos = 0;
            int mostInOne = 0;
            long highest = 0;
            long drainStarted = System.nanoTime();
            while (fired < timers && punctuations < 100_000) {
                long t0 = System.nanoTime();
                driver.advanceWallClockTime(DomainProcessor.DUE_CHECK_INTERVAL);
                longestNanos = Math.max(longestNanos, System.nanoTime() - t0);
                int now = out.readRecordsToList().size();
                changelogs.forEach(TestOutputTopic::readRecordsToList);
                mostInOne = Math.max(mostInOne, now);
                fired += now;
                punctuations++;
                highest = Math.max(highest, heapUsed());
                if (punctuations % 50 == 0) {
                    System.out.printf("  %,d of %,d fired after %d punctuations%n", fired, timers, punctuations);
                }
            }
            double drainSeconds = (System.nanoTime() - drainStarted) / 1e9;
            System.out.printf("drained %,d timers in %d punctuations, %.1f s: at most %,d per punctuation, the longest %.0f ms%n",
                    fired, punctuations, drainSeconds, mostInOne, longestNanos / 1e6);
            System.out.printf("heap: %,d MiB used before the drain (after a GC), at most %,d MiB seen after a punctuation;"
                    + " the drain ran within -Xmx %,d MiB%n", heapBefore >> 20, highest >> 20, Runtime.getRuntime().maxMemory() >> 20);
            if (fired != timers) {
                throw new IllegalStateException("fired " + fired + " of " + timers + " timers");
            }
        }
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

}
