package io.ved.tooling.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ved.api.DomainType;
import io.ved.api.MessageId;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.RecordPosition;
import io.ved.envelope.WireFormat;
import io.ved.envelope.registry.InMemorySchemaRegistry;
import io.ved.envelope.registry.RegistryUnavailableException;
import io.ved.envelope.registry.SchemaRegistry;
import io.ved.runtime.DomainCatalog;
import io.ved.runtime.Rejections;
import io.ved.runtime.deadletter.DeadLetterReason;
import io.ved.runtime.deadletter.DeadLetters;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileReader;
import io.ved.testdomains.Append;
import io.ved.testdomains.LedgerDomain;
import io.ved.testdomains.Unwanted;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** Listing and redrive planning on dead letters written exactly as the runtime writes them, without a broker. */
class DeadLetterToolsTest {
    private static final String DLQ = "ved-ledger-test.deadletters";
    private static final Instant T0 = Instant.parse("2026-05-04T10:15:02.345Z");

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final MessageCodec codec = new MessageCodec(registry);
    private final TopologyFile topology = TopologyFileReader.readResource("topology/ledger.yaml");
    private final List<ConsumerRecord<byte[], byte[]>> topic = new ArrayList<>();

    // --- ids

    @Test
    void idsArePartitionDashOffset() {
        assertThat(DeadLetterId.parse(" 2-17 ")).isEqualTo(new DeadLetterId(2, 17));
        assertThat(new DeadLetterId(0, 5)).hasToString("0-5");
        assertThatThrownBy(() -> DeadLetterId.parse("2:17")).hasMessageContaining("ids are PARTITION-OFFSET, such as 0-17");
        assertThatThrownBy(() -> DeadLetterId.parse("-1-3")).isInstanceOf(IllegalArgumentException.class);
    }

    // --- the store

    @Test
    void theStoreNamesEachDeadLetterByItsPositionAndFindsItsMessageType() {
        deadLetter(1, 4, T0.plusSeconds(5), "k-2", codec.encode(new Append(2L, true, null)), envelope("m-2", "c-1"),
                DeadLetterReason.HANDLER_FAILED, new IllegalStateException("asked to fail on entry 2"));
        deadLetter(0, 7, T0, "k-1", "not avro at all".getBytes(StandardCharsets.UTF_8), new RecordHeaders(),
                DeadLetterReason.UNDECODABLE, new RuntimeException("magic byte"));
        deadLetter(0, 8, T0.plusSeconds(9), "k-3", codec.encode(new Append(3L, true, null)), new RecordHeaders(),
                DeadLetterReason.HANDLER_FAILED, new IllegalStateException("asked to fail on entry 3"));

        DeadLetterStore store = store();

        assertThat(store.all()).extracting(l -> l.id().toString()).as("oldest first").containsExactly("0-7", "1-4", "0-8");
        assertThat(store.all()).extracting(StoredDeadLetter::messageType)
                .as("ce_type, else the writer schema, else ?")
                .containsExactly("?", "io.ved.testdomains.Append", "io.ved.testdomains.Append");
        StoredDeadLetter sent = store.find(new DeadLetterId(1, 4)).orElseThrow();
        assertThat(sent.correlationId()).contains("c-1");
        assertThat(sent.messageId()).contains(new MessageId("m-2"));
        assertThat(sent.key()).contains("k-2");
        assertThat(sent.time()).isEqualTo(T0.plusSeconds(5));
        StoredDeadLetter plain = store.find(new DeadLetterId(0, 8)).orElseThrow();
        assertThat(plain.correlationId()).isEmpty();
        assertThat(plain.messageIdOnEntry()).as("the id it was given on entry")
                .contains(MessageId.derivedFrom("ledger.inbox", "2", "8"));
        assertThat(store.find(new DeadLetterId(3, 3))).isEmpty();
        assertThat(store.of(Optional.of(DomainType.named("AuditDomain")))).isEmpty();
        assertThat(store.of(Optional.of(LedgerDomain.LEDGER))).hasSize(3);
    }

    @Test
    void aRecordThatIsNotADeadLetterIsSetApartNotFatal() {
        RecordHeaders odd = new RecordHeaders();
        odd.add("ved_dlq_reason", "SOLAR_FLARE".getBytes(StandardCharsets.UTF_8));
        topic.add(new ConsumerRecord<>(DLQ, 0, 0, T0.toEpochMilli(), TimestampType.CREATE_TIME, 0, 0, null, new byte[0], odd, Optional.empty()));

        DeadLetterStore store = store();

        assertThat(store.all()).isEmpty();
        assertThat(store.unreadable()).containsExactly(new DeadLetterId(0, 0));
        assertThat(DeadLetterListing.table(store.all(), 50, "", store.unreadable()))
                .isEqualTo("no dead letters\n1 record of the topic could not be read as dead letters (unknown ved_dlq_* headers): 0-0\n");
    }

    @Test
    void listingDoesNotNeedTheRegistry() {
        deadLetter(0, 0, T0, "k-1", codec.encode(new Append(1L, true, null)), new RecordHeaders(),
                DeadLetterReason.HANDLER_FAILED, new IllegalStateException("boom"));
        deadLetter(0, 1, T0, "k-2", codec.encode(new Append(2L, true, null)), new RecordHeaders(),
                DeadLetterReason.HANDLER_FAILED, new IllegalStateException("boom"));
        int[] asked = {0};
        SchemaRegistry down = new SchemaRegistry() {
            public int register(String subject, org.apache.avro.Schema schema) {
                throw new UnsupportedOperationException();
            }

            public org.apache.avro.Schema schemaById(int id) {
                asked[0]++;
                throw new RegistryUnavailableException("no schema registry answered", null);
            }

            public void setCompatibility(String subject, String level) {
                throw new UnsupportedOperationException();
            }
        };
        WriterTypes types = new WriterTypes(new MessageCodec(down));

        DeadLetterStore store = DeadLetterStore.of(DLQ, topic, types);

        assertThat(store.all()).extracting(StoredDeadLetter::messageType).containsExactly("?", "?");
        assertThat(types.registryAnswered()).isFalse();
        assertThat(asked[0]).as("asked once, not once per dead letter").isEqualTo(1);
    }

    // --- the listing

    @Test
    void theTableShowsOneLinePerDeadLetterThenTheCountsByReason() {
        deadLetter(0, 0, T0, "k-1", "not avro at all".getBytes(StandardCharsets.UTF_8), new RecordHeaders(),
                DeadLetterReason.UNDECODABLE, rejection("the value does not start with the wire-format magic byte 0 (found 0x6e):"
                        + " it was not written by an Avro serializer against a schema registry"));
        deadLetter(1, 0, T0.plusSeconds(1), "k-2", codec.encode(new Append(2L, true, null)), envelope("m-2", "c-1"),
                DeadLetterReason.HANDLER_FAILED, new IllegalStateException("asked to fail on entry 2"));
        deadLetter(1, 1, T0.plusSeconds(2), "k-3", codec.encode(new Append(3L, true, null)), envelope("m-3", "c-3"),
                DeadLetterReason.HANDLER_FAILED, new IllegalStateException("asked to fail on entry 3"));

        String table = DeadLetterListing.table(store().all(), 50, "", List.of());

        assertThat(table.lines().toList()).containsExactly(
                "ID   TIME                  DOMAIN        TYPE    REASON          CORRELATION  ERROR",
                "0-0  2026-05-04T10:15:02Z  LedgerDomain  ?       UNDECODABLE     -            the value does not start with the wire-format magic byte 0 (found 0x6...",
                "1-0  2026-05-04T10:15:03Z  LedgerDomain  Append  HANDLER_FAILED  c-1          IllegalStateException: asked to fail on entry 2",
                "1-1  2026-05-04T10:15:04Z  LedgerDomain  Append  HANDLER_FAILED  c-3          IllegalStateException: asked to fail on entry 3",
                "3 dead letters: 2 HANDLER_FAILED, 1 UNDECODABLE");
        assertThat(DeadLetterListing.table(store().all(), 1, " of LedgerDomain", List.of()).lines().toList()).containsExactly(
                "ID   TIME                  DOMAIN        TYPE    REASON          CORRELATION  ERROR",
                "1-1  2026-05-04T10:15:04Z  LedgerDomain  Append  HANDLER_FAILED  c-3          IllegalStateException: asked to fail on entry 3",
                "(showing the newest 1 of 3; --limit 0 shows all)",
                "3 dead letters of LedgerDomain: 2 HANDLER_FAILED, 1 UNDECODABLE");
    }

    @Test
    void anEmptyTopicSaysSo() {
        assertThat(DeadLetterListing.table(List.of(), 50, "", List.of())).isEqualTo("no dead letters\n");
        assertThat(DeadLetterListing.table(List.of(), 50, " of AuditDomain", List.of())).isEqualTo("no dead letters of AuditDomain\n");
    }

    @Test
    void errorsAreCutToOneReadableLine() {
        String chained = "io.ved.runtime.RejectedMessageException: unknown schema id 4242: the schema registry has no such schema"
                + " <- caused by io.ved.envelope.UndecodableMessageException: unknown schema id 4242";
        assertThat(DeadLetterListing.shortError(chained, 72)).isEqualTo("unknown schema id 4242: the schema registry has no such schema");
        assertThat(DeadLetterListing.shortError("java.lang.IllegalStateException: two\nlines", 72)).isEqualTo("IllegalStateException: two lines");
        assertThat(DeadLetterListing.shortError("x".repeat(100), 20)).isEqualTo("x".repeat(17) + "...");
        assertThat(DeadLetterListing.shortError("", 20)).isEqualTo("-");
    }

    @Test
    void jsonHasEverythingInFull() throws Exception {
        String longMessage = "asked to fail" + " and say why at length".repeat(10);
        deadLetter(1, 0, T0, "k-2", codec.encode(new Append(2L, true, null)), envelope("m-2", "c-1"),
                DeadLetterReason.HANDLER_FAILED, new IllegalStateException(longMessage));
        deadLetter(0, 0, T0.plusSeconds(1), null, codec.encode(new Append(2L, false, null)), new RecordHeaders(),
                DeadLetterReason.NO_KEY, rejection("the record has no key"));

        JsonNode json = new ObjectMapper().readTree(DeadLetterListing.json(DLQ, null, store().all(), 0, List.of()));

        assertThat(json.get("topic").asText()).isEqualTo(DLQ);
        assertThat(json.get("total").asInt()).isEqualTo(2);
        assertThat(json.get("byReason").get("HANDLER_FAILED").asInt()).isEqualTo(1);
        JsonNode first = json.get("deadLetters").get(0);
        assertThat(first.get("id").asText()).isEqualTo("1-0");
        assertThat(first.get("error").asText()).isEqualTo("java.lang.IllegalStateException: " + longMessage);
        assertThat(first.get("messageType").asText()).isEqualTo("io.ved.testdomains.Append");
        assertThat(first.get("messageId").asText()).isEqualTo("m-2");
        assertThat(first.get("attempts").asInt()).isEqualTo(3);
        assertThat(first.get("correlationId").asText()).isEqualTo("c-1");
        assertThat(first.get("time").asText()).isEqualTo("2026-05-04T10:15:02.345Z");
        assertThat(first.get("origin").get("topic").asText()).isEqualTo("ledger.inbox");
        JsonNode second = json.get("deadLetters").get(1);
        assertThat(second.get("key").isNull()).isTrue();
        assertThat(second.get("correlationId").isNull()).isTrue();
    }

    // --- redrive

    @Test
    void aRedrivenMessageIsTheOriginalWithANewIdInTheSameCorrelationCausedByTheOriginal() {
        byte[] value = codec.encode(new Append(2L, true, null));
        RecordHeaders headers = envelope("m-2", "c-1");
        EnvelopeHeaders.put(headers, EnvelopeHeaders.HOPS, "3");
        EnvelopeHeaders.put(headers, EnvelopeHeaders.CAUSATION_ID, "m-1");
        headers.add("x-trace", "abc".getBytes(StandardCharsets.UTF_8));
        deadLetter(0, 0, T0, "k-2", value, headers, DeadLetterReason.HANDLER_FAILED, new IllegalStateException("boom"));

        Redriver.Ready ready = (Redriver.Ready) redriver().plan(store().all().get(0));

        assertThat(ready.topic()).isEqualTo("ledger.inbox");
        assertThat(ready.target()).isEqualTo(LedgerDomain.LEDGER.ref("k-2"));
        assertThat(ready.messageType()).isEqualTo("io.ved.testdomains.Append");
        assertThat(ready.record().key()).isEqualTo("k-2".getBytes(StandardCharsets.UTF_8));
        assertThat(ready.record().value()).isEqualTo(value);
        assertThat(ready.record().timestamp()).as("the broker's time: it is a new send").isNull();
        Headers sent = ready.record().headers();
        assertThat(EnvelopeHeaders.text(sent, EnvelopeHeaders.ID)).contains("new-1");
        assertThat(EnvelopeHeaders.text(sent, EnvelopeHeaders.CORRELATION_ID)).contains("c-1");
        assertThat(EnvelopeHeaders.text(sent, EnvelopeHeaders.CAUSATION_ID)).contains("m-2");
        assertThat(EnvelopeHeaders.text(sent, EnvelopeHeaders.HOPS)).contains("3");
        assertThat(EnvelopeHeaders.text(sent, EnvelopeHeaders.TYPE)).contains("io.ved.testdomains.Append");
        assertThat(EnvelopeHeaders.text(sent, "x-trace")).contains("abc");
        for (Header h : sent) {
            assertThat(h.key()).doesNotStartWith("ved_dlq_");
        }
        assertThat(sent.headers(EnvelopeHeaders.ID)).as("one id, not two").hasSize(1);
        assertThat(ready.envelope().id()).isEqualTo(new MessageId("new-1"));
        assertThat(ready.envelope().correlation().value()).isEqualTo("c-1");
        assertThat(ready.envelope().causation()).contains(new MessageId("m-2"));
        assertThat(ready.envelope().hops()).isEqualTo(3);
    }

    @Test
    void aRecordThatCameWithoutEnvelopeIsRedrivenInTheCorrelationItStarted() {
        deadLetter(0, 0, T0, "k-3", codec.encode(new Append(3L, true, null)), new RecordHeaders(),
                DeadLetterReason.HANDLER_FAILED, new IllegalStateException("boom"));

        Redriver.Ready ready = (Redriver.Ready) redriver().plan(store().all().get(0));

        String derived = MessageId.derivedFrom("ledger.inbox", "2", "0").value();
        Headers sent = ready.record().headers();
        assertThat(EnvelopeHeaders.text(sent, EnvelopeHeaders.ID)).contains("new-1");
        assertThat(EnvelopeHeaders.text(sent, EnvelopeHeaders.CORRELATION_ID)).contains(derived);
        assertThat(EnvelopeHeaders.text(sent, EnvelopeHeaders.CAUSATION_ID)).contains(derived);
        assertThat(EnvelopeHeaders.text(sent, EnvelopeHeaders.HOPS)).as("hops unchanged: absent").isEmpty();
    }

    @Test
    void whatWouldFailAgainIsRefusedWithTheReason() {
        codec.schemaIdOf(Append.class);
        deadLetter(0, 0, T0, "k", "not avro at all".getBytes(StandardCharsets.UTF_8), new RecordHeaders(),
                DeadLetterReason.UNDECODABLE, rejection("magic"));
        deadLetter(0, 1, T0, "k", WireFormat.frame(4242, new byte[] {2, 4}), new RecordHeaders(),
                DeadLetterReason.UNKNOWN_SCHEMA, rejection("unknown schema"));
        deadLetter(0, 2, T0, null, codec.encode(new Append(1L, false, null)), new RecordHeaders(),
                DeadLetterReason.NO_KEY, rejection("no key"));
        deadLetter(0, 3, T0, "k", codec.encode(new Unwanted("hello")), new RecordHeaders(),
                DeadLetterReason.UNKNOWN_MESSAGE_TYPE, rejection("does not accept"));
        RecordHeaders badHops = new RecordHeaders();
        badHops.add(EnvelopeHeaders.HOPS, "many".getBytes(StandardCharsets.UTF_8));
        deadLetter(0, 4, T0, "k", codec.encode(new Append(1L, false, null)), badHops,
                DeadLetterReason.MALFORMED_ENVELOPE, rejection("hops"));
        byte[] truncated = codec.encode(new Append(1L, false, null));
        deadLetter(0, 5, T0, "k", java.util.Arrays.copyOf(truncated, 5), new RecordHeaders(),
                DeadLetterReason.UNDECODABLE, rejection("does not decode"));

        List<Redriver.Plan> plans = store().all().stream().map(redriver()::plan).toList();

        assertThat(plans).allSatisfy(p -> assertThat(p).isInstanceOf(Redriver.Refused.class));
        assertThat(plans).extracting(p -> ((Redriver.Refused) p).reason()).satisfiesExactly(
                r -> assertThat(r).startsWith("UNDECODABLE: the value does not start with the wire-format magic byte 0"),
                r -> assertThat(r).startsWith("UNKNOWN_SCHEMA: unknown schema id 4242"),
                r -> assertThat(r).startsWith("NO_KEY: the record has no key"),
                r -> assertThat(r).isEqualTo("UNKNOWN_MESSAGE_TYPE: LedgerDomain does not accept io.ved.testdomains.Unwanted"
                        + " (it accepts [io.ved.testdomains.Append])"),
                r -> assertThat(r).startsWith("MALFORMED_ENVELOPE: ce_hops header 'many' is not a whole number"),
                r -> assertThat(r).startsWith("UNDECODABLE: the value does not decode as io.ved.testdomains.Append"));
    }

    @Test
    void aDomainThisApplicationDoesNotRunCannotBeChecked() {
        deadLetter(0, 0, T0, "k", codec.encode(new Append(1L, false, null)), new RecordHeaders(), LedgerDomain.AUDIT,
                DeadLetterReason.HANDLER_FAILED, new IllegalStateException("boom"));
        Redriver ledgerOnly = new Redriver(new DomainCatalog(topology, List.of(LedgerDomain.ledger())), codec, () -> new MessageId("new-1"));

        Redriver.Plan plan = ledgerOnly.plan(store().all().get(0));

        assertThat(((Redriver.Refused) plan).reason()).contains("AuditDomain is not among the domains given");
    }

    // --- helpers

    private Redriver redriver() {
        int[] next = {0};
        return new Redriver(new DomainCatalog(topology, List.of(LedgerDomain.ledger(), LedgerDomain.audit())), codec,
                () -> new MessageId("new-" + ++next[0]));
    }

    private DeadLetterStore store() {
        return DeadLetterStore.of(DLQ, topic, new WriterTypes(codec));
    }

    private void deadLetter(int partition, long offset, Instant time, String key, byte[] value, Headers headers,
                            DeadLetterReason reason, Throwable error) {
        deadLetter(partition, offset, time, key, value, headers, LedgerDomain.LEDGER, reason, error);
    }

    /** Writes the dead letter with the runtime's own DeadLetters.of, as the record of the dead-letter topic it becomes. */
    private void deadLetter(int partition, long offset, Instant time, String key, byte[] value, Headers headers,
                            DomainType domain, DeadLetterReason reason, Throwable error) {
        byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        Record<byte[], byte[]> dead = DeadLetters.of(new Record<>(keyBytes, value, time.toEpochMilli(), headers),
                new RecordPosition(topology.require(domain).topic(), 2, offset, time.toEpochMilli()), domain, reason, error,
                reason == DeadLetterReason.HANDLER_FAILED ? 3 : 0);
        topic.add(new ConsumerRecord<>(DLQ, partition, offset, dead.timestamp(), TimestampType.CREATE_TIME, 0, 0,
                dead.key(), dead.value(), dead.headers(), Optional.empty()));
    }

    private static RecordHeaders envelope(String id, String correlation) {
        RecordHeaders headers = new RecordHeaders();
        EnvelopeHeaders.put(headers, EnvelopeHeaders.ID, id);
        EnvelopeHeaders.put(headers, EnvelopeHeaders.TYPE, "io.ved.testdomains.Append");
        EnvelopeHeaders.put(headers, EnvelopeHeaders.CORRELATION_ID, correlation);
        EnvelopeHeaders.put(headers, EnvelopeHeaders.HOPS, "0");
        return headers;
    }

    /** What the mailbox's rejections look like in ved_dlq_error: its carrier exception's class, then the detail. */
    private static Throwable rejection(String message) {
        return Rejections.rejected(DeadLetterReason.UNDECODABLE, message);
    }
}
