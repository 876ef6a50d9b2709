package io.ved.it;

import io.ved.runtime.VedRuntime;
import io.ved.runtime.KafkaVedSender;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ved.api.DomainRef;
import io.ved.api.VedSender;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.WireFormat;
import io.ved.envelope.registry.RegistryUnavailableException;
import io.ved.runtime.BrokerCheck.BrokerUnreachableException;
import io.ved.runtime.deadletter.DeadLetter;
import io.ved.runtime.deadletter.DeadLetterReason;
import io.ved.runtime.topology.TopologyFile;
import io.ved.testdomains.Append;
import io.ved.testdomains.Flaky;
import io.ved.testdomains.FlakyDomain;
import io.ved.testdomains.LedgerDomain;
import io.ved.testdomains.LedgerState;
import io.ved.testdomains.Unwanted;
import io.ved.runtime.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input matrix on a real broker and registry: each bad record ends as a clear dead letter (or a clear
 * error to whoever sent it) and the partition keeps moving: a good message sent after it is handled.
 */
class BadInputIT {
    @TempDir
    static Path stateDir;
    private static RealStack stack;
    private static RunningApp app;
    private static TcpProxy registryProxy;
    private static MessageCodec codec;

    @BeforeAll
    static void start() throws Exception {
        stack = RealStack.get();
        registryProxy = new TcpProxy(java.net.URI.create(stack.registryUrl()).getPort());
        String proxied = stack.registryUrl().replace(":" + java.net.URI.create(stack.registryUrl()).getPort(), ":" + registryProxy.port());
        TopologyFile topology = TestTopologies.unique("topology/bad-input.yaml", "bad");
        app = new RunningApp(stack, topology, List.of(LedgerDomain.ledger(), LedgerDomain.audit(), FlakyDomain.flaky()), proxied);
        app.start(stateDir);
        codec = new MessageCodec(app.registry());
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        registryProxy.close();
    }

    @Test
    void garbageBytes() throws Exception {
        assertDeadLetteredThenMovesOn("garbage", "no avro here".getBytes(StandardCharsets.UTF_8), new RecordHeaders(),
                DeadLetterReason.UNDECODABLE, "magic byte");
    }

    @Test
    void anUnknownSchemaId() throws Exception {
        assertDeadLetteredThenMovesOn("unknown-id", WireFormat.frame(987_654, new byte[] {2}), new RecordHeaders(),
                DeadLetterReason.UNKNOWN_SCHEMA, "unknown schema id 987654");
    }

    @Test
    void validAvroOfATypeTheDomainDoesNotAccept() throws Exception {
        assertDeadLetteredThenMovesOn("unwanted", codec.encode(new Unwanted("x")), new RecordHeaders(),
                DeadLetterReason.UNKNOWN_MESSAGE_TYPE, "does not accept io.ved.testdomains.Unwanted");
    }

    @Test
    void aTombstone() throws Exception {
        assertDeadLetteredThenMovesOn("tombstone", null, new RecordHeaders(), DeadLetterReason.UNDECODABLE, "tombstone");
    }

    @Test
    void malformedEnvelopeHeaders() throws Exception {
        RecordHeaders headers = new RecordHeaders();
        EnvelopeHeaders.put(headers, EnvelopeHeaders.TIME, "last tuesday");
        assertDeadLetteredThenMovesOn("bad-headers", codec.encode(new Append(1L, false, null)), headers,
                DeadLetterReason.MALFORMED_ENVELOPE, "ce_time");
    }

    @Test
    void missingHeadersAreAssignedOnEntry() throws Exception {
        produce(ledgerInbox(), "no-headers".getBytes(StandardCharsets.UTF_8), codec.encode(new Append(7L, false, null)), new RecordHeaders());
        awaitEntries(LedgerDomain.LEDGER.ref("no-headers"), List.of(7L));
    }

    @Test
    void aNullKey() throws Exception {
        produce(ledgerInbox(), null, codec.encode(new Append(1L, false, null)), new RecordHeaders());
        DeadLetter dead = awaitDeadLetter(d -> d.key() == null && d.reason() == DeadLetterReason.NO_KEY);
        assertThat(dead.error()).contains("the record has no key");
    }

    @Test
    void aHandlerThatThrowsOnEveryTry() throws Exception {
        DeadLetter dead = assertHandlerDeadLetteredThenMovesOn("always", new Flaky(1L, 1000, 0L, 0L),
                DeadLetterReason.HANDLER_FAILED, "flaky failure");
        assertThat(dead.attempts()).isEqualTo(3);
    }

    @Test
    void aBlankKey() throws Exception {
        assertDeadLetteredThenMovesOn("   ".getBytes(StandardCharsets.UTF_8), codec.encode(new Append(1L, false, null)),
                new RecordHeaders(), DeadLetterReason.INVALID_KEY, "the key is blank");
    }

    @Test
    void aKeyThatIsNotUtf8() throws Exception {
        assertDeadLetteredThenMovesOn(new byte[] {(byte) 0xff, (byte) 0xfe, 0x41}, codec.encode(new Append(1L, false, null)),
                new RecordHeaders(), DeadLetterReason.INVALID_KEY, "not valid UTF-8");
    }

    @Test
    void aSchemaIdThatNamesAJsonSchema() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var answer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.registryUrl()
                        + "/subjects/bad-input-json-" + System.nanoTime() + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"schemaType\": \"JSON\", \"schema\": \"{\\\"$schema\\\": \\\"http://json-schema.org/draft-07/schema#\\\", "
                                + "\\\"type\\\": \\\"object\\\"}\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        int jsonId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body()).get("id").intValue();
        assertDeadLetteredThenMovesOn("json-schema", WireFormat.frame(jsonId, "{}".getBytes(StandardCharsets.UTF_8)),
                new RecordHeaders(), DeadLetterReason.UNUSABLE_SCHEMA, "JSON schema, not Avro");
    }

    @Test
    void aHandlerThatThrowsAnError() throws Exception {
        assertHandlerDeadLetteredThenMovesOn("erring", new Flaky(1L, -1, 0L, 0L), DeadLetterReason.HANDLER_FAILED,
                "AssertionError");
    }

    @Test
    void aFarFutureTimeIsHandledAndAnOutOfRangeTimeIsDeadLettered() throws Exception {
        RecordHeaders future = new RecordHeaders();
        EnvelopeHeaders.put(future, EnvelopeHeaders.TIME, "9000-01-01T00:00:00Z");
        produce(ledgerInbox(), "far-future".getBytes(StandardCharsets.UTF_8), codec.encode(new Append(1L, false, null)), future);
        try (VedSender sender = sender()) {
            sender.send(LedgerDomain.LEDGER.ref("far-future"), new Append(2L, false, null));
        }
        awaitEntries(LedgerDomain.LEDGER.ref("far-future"), List.of(1L, 2L));

        RecordHeaders outOfRange = new RecordHeaders();
        EnvelopeHeaders.put(outOfRange, EnvelopeHeaders.TIME, "+1000000000-12-31T23:59:59Z");
        assertDeadLetteredThenMovesOn("out-of-range-time", codec.encode(new Append(1L, false, null)), outOfRange,
                DeadLetterReason.MALFORMED_ENVELOPE, "out of range");
    }

    @Test
    void aHeaderThatIsNotUtf8() throws Exception {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EnvelopeHeaders.ID, new byte[] {(byte) 0xc3, (byte) 0x28});
        assertDeadLetteredThenMovesOn("bad-utf8-header", codec.encode(new Append(1L, false, null)), headers,
                DeadLetterReason.MALFORMED_ENVELOPE, "ce_id header is not valid UTF-8");
    }

    @Test
    void aHandlerThatRunsTooLong() throws Exception {
        assertHandlerDeadLetteredThenMovesOn("slow", new Flaky(1L, 0, 4_000L, 0L), DeadLetterReason.HANDLER_TIMEOUT,
                "longer than its limit of 1000 ms");
    }

    /** A message whose handler fails, then a good one to the same FlakyDomain instance, which must be applied. */
    private static DeadLetter assertHandlerDeadLetteredThenMovesOn(String id, Flaky bad, DeadLetterReason reason, String error)
            throws Exception {
        DomainRef flaky = FlakyDomain.FLAKY.ref(id);
        try (VedSender sender = sender()) {
            sender.send(flaky, bad);
            sender.send(flaky, new Flaky(2L, 0, 0L, 0L));
        }
        DeadLetter dead = awaitDeadLetter(d -> id.equals(key(d)));
        assertThat(dead.reason()).isEqualTo(reason);
        assertThat(dead.error()).contains(error);
        awaitEntries(flaky, List.of(2L));
        return dead;
    }

    @Test
    void aRecordLargerThanTheTopicAllowsIsAClearErrorToTheSender() throws Exception {
        String inbox = ledgerInbox();
        app.admin().incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, inbox), List.of(
                new AlterConfigOp(new ConfigEntry("max.message.bytes", "2000"), AlterConfigOp.OpType.SET)))).all().get();
        try (VedSender sender = sender()) {
            String huge = "x".repeat(20_000);
            assertThatThrownBy(() -> sender.send(LedgerDomain.LEDGER.ref("huge"), new Append(1L, false, huge)))
                    .hasMessageContaining("could not send to " + inbox)
                    .hasMessageContaining("larger than");
            sender.send(LedgerDomain.LEDGER.ref("huge"), new Append(2L, false, null));
        } finally {
            app.admin().incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, inbox), List.of(
                    new AlterConfigOp(new ConfigEntry("max.message.bytes", ""), AlterConfigOp.OpType.DELETE)))).all().get();
        }
        awaitEntries(LedgerDomain.LEDGER.ref("huge"), List.of(2L));
    }

    @Test
    void aSendToADomainTypeThatDoesNotExistIsRefusedBeforeItLeaves() {
        try (VedSender sender = sender()) {
            assertThatThrownBy(() -> sender.send(DomainRef.of("NoSuchDomain", "1"), new Append(1L, false, null)))
                    .hasMessageContaining("NoSuchDomain is not a domain type of topology")
                    .hasMessageContaining("LedgerDomain");
        }
    }

    @Test
    void theRegistryUnreachableForAWhileMakesProcessingWaitThenResume() throws Exception {
        // A schema version the application has never seen, so it must ask the registry for it.
        Schema older = new Schema.Parser().parse("""
                {"type": "record", "name": "Append", "namespace": "io.ved.testdomains",
                 "fields": [{"name": "seq", "type": "long"}, {"name": "note", "type": "string", "default": "v0"}]}""");
        int olderId = app.registry().register("io.ved.testdomains.Append", older);
        org.apache.avro.generic.GenericRecord record = new org.apache.avro.generic.GenericData.Record(older);
        record.put("seq", 41L);
        record.put("note", "sent while the registry was away");
        var out = new java.io.ByteArrayOutputStream();
        var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
        new org.apache.avro.generic.GenericDatumWriter<org.apache.avro.generic.GenericRecord>(older).write(record, encoder);
        encoder.flush();

        registryProxy.cut();
        try {
            produce(ledgerInbox(), "outage".getBytes(StandardCharsets.UTF_8), WireFormat.frame(olderId, out.toByteArray()), new RecordHeaders());
            Thread.sleep(5_000);
            assertThat(app.states(LedgerDomain.ledger())).doesNotContainKey("outage");
        } finally {
            registryProxy.restore();
        }
        awaitEntries(LedgerDomain.LEDGER.ref("outage"), List.of(41L));
        assertThat(deadLetters()).noneMatch(d -> "outage".equals(key(d)));
    }

    @Test
    void theRegistryUnreachableAtStartIsAClearError(@TempDir Path dir) {
        VedRuntime ved = VedRuntime.builder().topology(app.topology()).domains(List.of(LedgerDomain.ledger(), LedgerDomain.audit(), FlakyDomain.flaky()))
                .bootstrapServers(stack.bootstrap()).schemaRegistry("http://127.0.0.1:1/apis/ccompat/v7").stateDir(dir).build();
        assertThatThrownBy(ved::start).isInstanceOf(RegistryUnavailableException.class).hasMessageContaining("127.0.0.1:1");
        ved.close();
    }

    @Test
    void theBrokerUnreachableAtStartIsAClearErrorAfterABoundedWait(@TempDir Path dir) {
        VedRuntime ved = VedRuntime.builder().topology(app.topology()).domains(List.of(LedgerDomain.ledger(), LedgerDomain.audit(), FlakyDomain.flaky()))
                .bootstrapServers("127.0.0.1:1").schemaRegistry(stack.registryUrl()).stateDir(dir)
                .brokerWait(Duration.ofSeconds(3)).build();
        long started = System.nanoTime();
        assertThatThrownBy(ved::start).isInstanceOf(BrokerUnreachableException.class)
                .hasMessageContaining("no Kafka broker answered at 127.0.0.1:1 within 3 s");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        ved.close();
    }

    /** A bad key, then a good message to an instance on the same partition, which must be applied. */
    private static void assertDeadLetteredThenMovesOn(byte[] badKey, byte[] value, RecordHeaders headers, DeadLetterReason reason,
                                                      String error) throws Exception {
        int partitions = app.topology().require(LedgerDomain.LEDGER).partitions();
        int partition = org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(badKey)) % partitions;
        String next = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "after-bad-key-" + i)
                .filter(id -> org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                        id.getBytes(StandardCharsets.UTF_8))) % partitions == partition && !used.contains(id))
                .findFirst().orElseThrow();
        used.add(next);
        produce(ledgerInbox(), badKey, value, headers);
        try (VedSender sender = sender()) {
            sender.send(LedgerDomain.LEDGER.ref(next), new Append(2L, false, null));
        }
        DeadLetter dead = awaitDeadLetter(d -> java.util.Arrays.equals(d.key(), badKey) && d.reason() == reason);
        assertThat(dead.error()).contains(error);
        assertThat(dead.value()).isEqualTo(value);
        awaitEntries(LedgerDomain.LEDGER.ref(next), List.of(2L));
    }

    private static final java.util.Set<String> used = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static void assertDeadLetteredThenMovesOn(String id, byte[] value, RecordHeaders headers, DeadLetterReason reason,
                                                      String error) throws Exception {
        produce(ledgerInbox(), id.getBytes(StandardCharsets.UTF_8), value, headers);
        try (VedSender sender = sender()) {
            sender.send(LedgerDomain.LEDGER.ref(id), new Append(2L, false, null));
        }
        DeadLetter dead = awaitDeadLetter(d -> id.equals(key(d)));
        assertThat(dead.reason()).isEqualTo(reason);
        assertThat(dead.error()).contains(error);
        assertThat(dead.value()).isEqualTo(value);
        awaitEntries(LedgerDomain.LEDGER.ref(id), List.of(2L));
    }

    private static void awaitEntries(DomainRef ref, List<Long> expected) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, LedgerState> states = ref.type().equals(FlakyDomain.FLAKY)
                    ? app.states(FlakyDomain.flaky()) : app.states(LedgerDomain.ledger());
            assertThat(states.get(ref.id())).as("state of %s", ref).isNotNull();
            assertThat(states.get(ref.id()).getEntries()).isEqualTo(expected);
        });
    }

    private static DeadLetter awaitDeadLetter(java.util.function.Predicate<DeadLetter> which) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> deadLetters().stream().filter(which).findFirst(), java.util.Optional::isPresent).orElseThrow();
    }

    private static List<DeadLetter> deadLetters() throws Exception {
        return TopicReader.readAll(stack.bootstrap(), List.of(app.topology().deadLetterTopic()), Duration.ofSeconds(30)).stream()
                .map(r -> DeadLetter.from(r.key(), r.value(), r.headers())).toList();
    }

    private static String key(DeadLetter d) {
        return d.key() == null ? null : new String(d.key(), StandardCharsets.UTF_8);
    }

    private static String ledgerInbox() {
        return app.topology().require(LedgerDomain.LEDGER).topic();
    }

    private static VedSender sender() {
        return KafkaVedSender.connect(stack.bootstrap(), app.registry(), app.topology(), "/bad-input-it");
    }

    private static void produce(String topic, byte[] key, byte[] value, RecordHeaders headers) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, null, key, value, headers)).get();
        }
    }
}
