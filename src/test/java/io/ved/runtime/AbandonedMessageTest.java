package io.ved.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.ved.api.DomainRef;
import io.ved.api.MessageId;
import io.ved.envelope.Envelope;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.registry.InMemorySchemaRegistry;
import io.ved.runtime.deadletter.DeadLetter;
import io.ved.runtime.deadletter.DeadLetterReason;
import io.ved.runtime.handler.AbandonedMessages;
import io.ved.runtime.handler.HandlerIsolation;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import io.ved.testdomains.Flaky;
import io.ved.testdomains.FlakyDomain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * A message recorded as abandoned (its handler once held a stream thread for good) is dead-lettered where it is read
 * next, without its handler running; the instance's next message is handled as usual.
 */
class AbandonedMessageTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final DomainRef LOOP = FlakyDomain.FLAKY.ref("loop");

    @Test
    void anAbandonedMessageIsDeadLetteredWithoutRunningAndTheNextOneIsHandled() throws Exception {
        FlakyDomain.reset();
        TopologyFile file = new TopologyFile("ved-abandoned-test", "abandoned.deadletters", "abandoned.replies",
                List.of(new DomainTopic(FlakyDomain.FLAKY, "flaky.inbox", 1, (short) 1, -1)));
        DomainCatalog catalog = new DomainCatalog(file, List.of(FlakyDomain.flaky()));
        MessageCodec codec = new MessageCodec(new InMemorySchemaRegistry());
        AbandonedMessages abandoned = AbandonedMessages.inMemory();
        Envelope stuck = envelope("m-stuck");
        abandoned.record(stuck, "the handler ran longer than its limit of 1000 ms, ignored its interrupt; not run again");
        HandlerIsolation isolation = new HandlerIsolation(abandoned, (thread, message) -> { });

        Path stateDir = Files.createTempDirectory("ved-abandoned-test");
        try (TopologyTestDriver driver = new TopologyTestDriver(VedTopology.build(catalog, codec,
                VedTopology.StoreKind.IN_MEMORY, OpenTelemetry.noop(), Map.of(), isolation), config(file, stateDir))) {
            TestInputTopic<byte[], byte[]> inbox = driver.createInputTopic("flaky.inbox", new ByteArraySerializer(),
                    new ByteArraySerializer());
            pipe(inbox, codec, stuck, new Flaky(1L, 0, 0L, 0L));
            pipe(inbox, codec, envelope("m-next"), new Flaky(2L, 0, 0L, 0L));

            List<DeadLetter> dead = driver.createOutputTopic(file.deadLetterTopic(), new ByteArrayDeserializer(),
                            new ByteArrayDeserializer()).readRecordsToList().stream()
                    .map(r -> DeadLetter.from(r.key(), r.value(), r.headers())).toList();
            assertThat(dead).singleElement().satisfies(d -> {
                assertThat(d.reason()).isEqualTo(DeadLetterReason.HANDLER_TIMEOUT);
                assertThat(d.error()).contains("ignored its interrupt", "not run again");
            });
            assertThat(FlakyDomain.attempts("loop", 1)).as("the abandoned message's handler did not run").isZero();
            assertThat(FlakyDomain.attempts("loop", 2)).as("the next message was handled").isEqualTo(1);
        }
    }

    private static Envelope envelope(String id) {
        return Envelope.root(new MessageId(id), Flaky.getClassSchema().getFullName(), "/abandoned-test", LOOP, NOW,
                Optional.empty());
    }

    private static void pipe(TestInputTopic<byte[], byte[]> inbox, MessageCodec codec, Envelope envelope, Flaky message) {
        RecordHeaders headers = new RecordHeaders();
        EnvelopeHeaders.write(envelope, headers);
        inbox.pipeInput(new TestRecord<>(LOOP.id().getBytes(StandardCharsets.UTF_8), codec.encode(message), headers, NOW));
    }

    private static Properties config(TopologyFile file, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, file.application());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return props;
    }
}
