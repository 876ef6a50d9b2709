package io.ved.tooling.storm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ved.api.DomainRef;
import io.ved.api.MessageId;
import io.ved.envelope.Envelope;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.RecordPosition;
import io.ved.example.storm.StormDomains;
import io.ved.runtime.storm.Oscillation;
import io.ved.runtime.storm.Quarantine;
import io.ved.runtime.storm.Trail;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileReader;
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

/** Listing, grouping and release planning on storm records written exactly as the runtime writes them, without a broker. */
class StormToolsTest {
    private static final Instant T0 = Instant.parse("2026-05-04T10:15:02.345Z");
    private final TopologyFile topology = TopologyFileReader.readResource(StormDomains.TOPOLOGY);
    private final List<ConsumerRecord<byte[], byte[]>> topic = new ArrayList<>();

    @Test
    void idsArePartitionDashOffset() {
        assertThat(StormId.parse(" 2-17 ")).isEqualTo(new StormId(2, 17));
        assertThat(new StormId(0, 5)).hasToString("0-5");
        assertThatThrownBy(() -> StormId.parse("2:17")).hasMessageContaining("ids are PARTITION-OFFSET, such as 0-17, as 'ved storms' shows them");
    }

    @Test
    void oneLoopSeenFromEitherEndIsOneGroupAndHopLimitsAreGroupedByReason() {
        loop("c-1", "PingDomain[1]:Ping -> PongDomain[1]:Pong", StormDomains.PONG.ref("1"), "Pong", 11, 0);
        loop("c-2", "PongDomain[1]:Pong -> PingDomain[1]:Ping", StormDomains.PING.ref("1"), "Ping", 11, 1);
        loop("c-3", "PingDomain[2]:Ping -> PongDomain[2]:Pong", StormDomains.PONG.ref("2"), "Pong", 11, 2);
        hopLimit("c-4", StormDomains.RELAY.ref("65"), 65, 3);

        QuarantineStore store = QuarantineStore.of("ved-storm.storms", topic);
        assertThat(QuarantineStore.grouped(store.all())).containsOnlyKeys(
                "PingDomain[1]:Ping -> PongDomain[1]:Pong", "PingDomain[2]:Ping -> PongDomain[2]:Pong", "HOP_LIMIT");
        assertThat(QuarantineStore.grouped(store.all()).keySet()).last().isEqualTo("HOP_LIMIT");

        String table = StormListing.table(store.all(), List.of());
        assertThat(table)
                .contains("LOOP 1  PingDomain[1]:Ping -> PongDomain[1]:Pong\n")
                .contains("  quarantined:    2 messages in 2 correlations\n")
                .contains("  domains:        PingDomain, PongDomain\n")
                .contains("  message types:  Ping, Pong\n")
                .contains("  first / last:   2026-05-04T10:15:02.345Z / 2026-05-04T10:15:03.345Z\n")
                .contains("  correlations:   c-1, c-2\n")
                .containsPattern("  0-0\\s+2026-05-04T10:15:02.345Z\\s+PongDomain\\[1]\\s+Pong\\s+11\\s+c-1\n")
                .contains("LOOP 2  PingDomain[2]:Ping -> PongDomain[2]:Pong\n")
                .contains("HOP_LIMIT\n")
                .contains("  domains:        RelayDomain\n")
                .contains("  why:            Relay to RelayDomain[65] is 65 sends from its root, past the hop limit of 64\n")
                .endsWith("4 quarantined messages: 3 in 2 loops (OSCILLATION), 1 HOP_LIMIT\n");
        assertThat(store.matching(Optional.of("pingdomain[2]"))).extracting(q -> q.id().toString()).containsExactly("0-2");
        assertThat(store.matching(Optional.of("HOP_LIMIT"))).extracting(q -> q.id().toString()).containsExactly("0-3");
        assertThat(StormListing.table(List.of(), List.of())).isEqualTo("no quarantined messages\n");
    }

    @Test
    void jsonHasEveryMessageWithItsEnvelopeIdsAndOrigin() throws Exception {
        loop("c-1", "PingDomain[1]:Ping -> PongDomain[1]:Pong", StormDomains.PONG.ref("1"), "Pong", 11, 0);
        QuarantineStore store = QuarantineStore.of("ved-storm.storms", topic);
        JsonNode json = new ObjectMapper().readTree(StormListing.json(store.topic(), store.all(), store.unreadable()));
        JsonNode group = json.get("groups").get(0);
        assertThat(group.get("reason").asText()).isEqualTo("OSCILLATION");
        assertThat(group.get("cycle").asText()).isEqualTo("PingDomain[1]:Ping -> PongDomain[1]:Pong");
        assertThat(group.get("count").asInt()).isEqualTo(1);
        assertThat(group.get("correlationIds").get(0).asText()).isEqualTo("c-1");
        JsonNode m = group.get("messages").get(0);
        assertThat(m.get("id").asText()).isEqualTo("0-0");
        assertThat(m.get("messageId").asText()).isEqualTo("m-0");
        assertThat(m.get("repeats").asInt()).isEqualTo(6);
        assertThat(m.get("hops").asInt()).isEqualTo(11);
        assertThat(m.get("origin").get("topic").asText()).isEqualTo("ved.storm.pong");
    }

    @Test
    void aReleaseIsANewStartInTheSameCorrelation() {
        loop("c-1", "PingDomain[1]:Ping -> PongDomain[1]:Pong", StormDomains.PONG.ref("1"), "Pong", 11, 0);
        StoredQuarantine q = QuarantineStore.of("s", topic).all().getFirst();

        Releaser.Plan plan = new Releaser(topology, () -> new MessageId("new-1")).plan(q);

        assertThat(plan).isInstanceOfSatisfying(Releaser.Ready.class, ready -> {
            assertThat(ready.topic()).isEqualTo("ved.storm.pong");
            assertThat(ready.record().key()).isEqualTo("1".getBytes(StandardCharsets.UTF_8));
            assertThat(ready.record().value()).isEqualTo(q.quarantine().value());
            Headers h = ready.headers();
            assertThat(text(h, EnvelopeHeaders.ID)).isEqualTo("new-1");
            assertThat(text(h, EnvelopeHeaders.CORRELATION_ID)).isEqualTo("c-1");
            assertThat(text(h, EnvelopeHeaders.CAUSATION_ID)).isEqualTo("m-0");
            assertThat(text(h, EnvelopeHeaders.HOPS)).isEqualTo("0");
            assertThat(text(h, EnvelopeHeaders.TYPE)).isEqualTo("io.ved.example.storm.Pong");
            for (Header header : h) {
                assertThat(header.key()).doesNotStartWith("ved_");
            }
        });
    }

    @Test
    void aMessageThatCameWithoutIdsIsNamedByItsInboxPosition() {
        RecordHeaders bare = new RecordHeaders();
        Record<byte[], byte[]> original = new Record<>(bytes("65"), new byte[] {0, 0, 0, 0, 1, 2}, T0.toEpochMilli(), bare);
        add(Quarantine.record(original, new RecordPosition("ved.storm.relay", 2, 40, T0.toEpochMilli()), StormDomains.RELAY,
                Quarantine.Reason.HOP_LIMIT, "past the limit", Optional.empty()), 0);
        StoredQuarantine q = QuarantineStore.of("s", topic).all().getFirst();
        MessageId derived = MessageId.derivedFrom("ved.storm.relay", "2", "40");
        assertThat(q.messageId()).contains(derived);
        assertThat(q.correlationId()).contains(derived.value());

        Releaser.Ready ready = (Releaser.Ready) new Releaser(topology, () -> new MessageId("new-2")).plan(q);
        assertThat(text(ready.headers(), EnvelopeHeaders.CAUSATION_ID)).isEqualTo(derived.value());
        assertThat(text(ready.headers(), EnvelopeHeaders.CORRELATION_ID)).isEqualTo(derived.value());
    }

    @Test
    void aMessageOfADomainTypeOutsideTheTopologyIsNotReleased() {
        loop("c-1", "PingDomain[1]:Ping -> PongDomain[1]:Pong", StormDomains.PONG.ref("1"), "Pong", 11, 0);
        StoredQuarantine q = QuarantineStore.of("s", topic).all().getFirst();
        TopologyFile other = TopologyFileReader.readResource("ved/topology/example.yaml");
        assertThat(new Releaser(other).plan(q)).isInstanceOfSatisfying(Releaser.Refused.class,
                r -> assertThat(r.reason()).contains("PongDomain has no inbox in topology 'ved-example'"));
    }

    private void loop(String correlation, String cycle, DomainRef target, String type, int hops, int offset) {
        RecordHeaders headers = envelope(correlation, target, type, hops, offset);
        Trail trail = new Trail(List.of("a", "b", "a", "b"), List.of(cycle.split(" -> ")));
        trail.write(headers);
        Record<byte[], byte[]> original = new Record<>(bytes(target.id()), new byte[] {0, 0, 0, 0, 1, 2},
                T0.plusSeconds(offset).toEpochMilli(), headers);
        Oscillation.Cycle found = new Oscillation.Cycle(List.of(cycle.split(" -> ")), 6);
        String inbox = topology.require(target.type()).topic();
        add(Quarantine.record(original, new RecordPosition(inbox, 0, 100 + offset, original.timestamp()), target.type(),
                Quarantine.Reason.OSCILLATION, "a loop of sends: " + found.describe() + ", more than the 5 repeats allowed",
                Optional.of(found)), offset);
    }

    private void hopLimit(String correlation, DomainRef target, int hops, int offset) {
        Record<byte[], byte[]> original = new Record<>(bytes(target.id()), new byte[] {0, 0, 0, 0, 1, 2},
                T0.plusSeconds(offset).toEpochMilli(), envelope(correlation, target, "Relay", hops, offset));
        add(Quarantine.record(original, new RecordPosition("ved.storm.relay", 1, 7, original.timestamp()), target.type(),
                Quarantine.Reason.HOP_LIMIT, "Relay to " + target + " is " + hops + " sends from its root, past the hop limit of 64",
                Optional.empty()), offset);
    }

    private static RecordHeaders envelope(String correlation, DomainRef target, String type, int hops, int n) {
        Envelope root = Envelope.root(new MessageId("m-" + n), "io.ved.example.storm." + type, "/test", target, T0,
                Optional.of(new io.ved.api.CorrelationId(correlation)));
        RecordHeaders headers = new RecordHeaders();
        EnvelopeHeaders.write(root, headers);
        EnvelopeHeaders.put(headers, EnvelopeHeaders.HOPS, Integer.toString(hops));
        EnvelopeHeaders.put(headers, EnvelopeHeaders.CAUSATION_ID, "cause-" + n);
        return headers;
    }

    private void add(Record<byte[], byte[]> r, int offset) {
        topic.add(new ConsumerRecord<>("ved-storm.storms", 0, offset, r.timestamp(), TimestampType.CREATE_TIME, -1, -1,
                r.key(), r.value(), r.headers(), Optional.empty()));
    }

    private static String text(Headers headers, String name) {
        return EnvelopeHeaders.text(headers, name).orElse(null);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
