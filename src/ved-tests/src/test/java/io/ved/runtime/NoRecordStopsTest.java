package io.ved.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ved.api.DomainDefinition;
import io.ved.api.DomainRef;
import io.ved.api.DomainType;
import io.ved.api.Ved;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.WireFormat;
import io.ved.envelope.registry.InMemorySchemaRegistry;
import io.ved.runtime.deadletter.DeadLetter;
import io.ved.runtime.deadletter.DeadLetterReason;
import io.ved.runtime.storm.StormPolicy;
import io.ved.runtime.storm.ThrottlePolicy;
import io.ved.runtime.topology.DomainPolicy;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.HandlerThread;
import io.ved.runtime.topology.RetryPolicy;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileException;
import io.ved.runtime.topology.TopologyFileReader;
import io.ved.testdomains.Append;
import io.ved.testdomains.Flaky;
import io.ved.testdomains.FlakyDomain;
import io.ved.testdomains.LedgerDomain;
import io.ved.testdomains.LedgerState;
import io.ved.testkit.VedTestKit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The cases of "no record can stop a Ved application" that need a domain of their own: handlers that throw
 * errors, instances that end, heartbeats, timer ids, a message time far from the clock, deferred-queue bounds,
 * due work bounded per punctuation, and settings that would weaken the guarantee.
 */
class NoRecordStopsTest {
    private static final DomainType PROBE = DomainType.named("ProbeDomain");
    private static final DomainRef P1 = PROBE.ref("p1");

    /** What the probe's handler does for a message whose seq is negative. */
    enum Throws {
        ASSERTION(-1), STACK_OVERFLOW(-2), LINKAGE(-3);
        final long seq;

        Throws(long seq) {
            this.seq = seq;
        }
    }

    private static DomainDefinition<LedgerState> probe() {
        return DomainDefinition.of(PROBE, LedgerState.class)
                .initialState(id -> new LedgerState(List.of()))
                .on(Append.class, (state, m, ctx) -> {
                    long seq = m.getSeq();
                    if (seq == Throws.ASSERTION.seq) {
                        throw new AssertionError("the probe asserted");
                    }
                    if (seq == Throws.STACK_OVERFLOW.seq) {
                        return recurse(state, 0);
                    }
                    if (seq == Throws.LINKAGE.seq) {
                        throw new NoClassDefFoundError("io/ved/Missing");
                    }
                    if (m.getFail()) {
                        ctx.end();
                        return null;
                    }
                    if (seq >= 1_000_000) { // schedule (seq - 1,000,000) timers, all due in one second
                        for (long i = 0; i < seq - 1_000_000; i++) {
                            ctx.sendAfter(Duration.ofSeconds(1), LedgerDomain.AUDIT.ref("t" + i), new Append(i, false, null));
                        }
                    } else if (m.getForwardTo() != null && m.getForwardTo().equals("heartbeat") && seq < 200) {
                        ctx.sendAfter(Duration.ofSeconds(1), ctx.self(), new Append(seq + 1, false, "heartbeat"));
                    } else if (m.getForwardTo() != null && m.getForwardTo().equals("timer-to-audit")) {
                        ctx.sendAfter(Duration.ofSeconds(1), LedgerDomain.AUDIT.ref("shared"), new Append(seq, false, null));
                    }
                    List<Long> entries = new ArrayList<>(state.getEntries());
                    entries.add(seq);
                    return new LedgerState(entries);
                })
                .sends(PROBE, Append.class)
                .sends(LedgerDomain.AUDIT, Append.class)
                .build();
    }

    private static LedgerState recurse(LedgerState state, int depth) {
        return depth < 0 ? state : recurse(state, depth + 1);
    }

    private static VedTestKit kit() {
        DomainPolicy policy = new DomainPolicy(new RetryPolicy(2, Duration.ofMillis(100), Duration.ofMillis(100)),
                Duration.ofSeconds(5), HandlerThread.STREAM, true, StormPolicy.DEFAULT, ThrottlePolicy.NONE);
        return VedTestKit.of(new TopologyFile("ved-no-record-stops", "probe.deadletters", "probe.replies",
                        List.of(new DomainTopic(PROBE, "probe.inbox", 1, (short) 1, -1, policy),
                                new DomainTopic(LedgerDomain.AUDIT, "audit.inbox", 1, (short) 1, -1))),
                List.of(probe()));
    }

    @ParameterizedTest
    @EnumSource(Throws.class)
    void aHandlerThatThrowsAnErrorFailsLikeOneThatThrowsAnException(Throws what) {
        try (VedTestKit kit = kit()) {
            kit.send(P1, new Append(what.seq, false, null));
            kit.send(P1, new Append(1L, false, null));
            kit.advanceTime(Duration.ofSeconds(1));

            assertThat(kit.deadLetters()).singleElement().satisfies(d -> {
                assertThat(d.reason()).isEqualTo(DeadLetterReason.HANDLER_FAILED);
                assertThat(d.attempts()).isEqualTo(2);
            });
            assertThat(kit.<LedgerState>stateOf(P1).getEntries()).containsExactly(1L);
        }
    }

    @Test
    void anInstanceThatEndsKeepsNoState() {
        try (VedTestKit kit = kit()) {
            kit.send(P1, new Append(1L, false, null));
            assertThat(kit.hasState(P1)).isTrue();

            kit.send(P1, new Append(2L, true, null));
            assertThat(kit.hasState(P1)).as("ctx.end() deleted the state").isFalse();
            assertThat(kit.deadLetters()).isEmpty();

            kit.send(P1, new Append(3L, false, null));
            assertThat(kit.<LedgerState>stateOf(P1).getEntries()).as("a later message starts afresh").containsExactly(3L);
        }
    }

    @Test
    void aHeartbeatReschedulingItself200TimesIsNeverQuarantined() {
        try (VedTestKit kit = kit()) {
            kit.send(P1, new Append(1L, false, "heartbeat"));
            kit.advanceTime(Duration.ofSeconds(205));

            assertThat(kit.quarantined()).isEmpty();
            assertThat(kit.<LedgerState>stateOf(P1).getEntries()).containsExactlyElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
        }
    }

    @Test
    void timersOfTwoMessagesThatReuseOneIdDoNotCollide() {
        try (VedTestKit kit = kit()) {
            for (String instance : List.of("a", "b")) {
                RecordHeaders headers = new RecordHeaders();
                EnvelopeHeaders.put(headers, EnvelopeHeaders.ID, "the-same-id");
                kit.sendRaw(PROBE.ref(instance), instance.getBytes(StandardCharsets.UTF_8),
                        kit.encode(new Append(instance.equals("a") ? 1L : 2L, false, "timer-to-audit")), headers);
            }
            kit.advanceTime(Duration.ofSeconds(2));

            assertThat(kit.sentTo(LedgerDomain.AUDIT.ref("shared"))).extracting(d -> ((Append) d.message()).getSeq())
                    .containsExactlyInAnyOrder(1L, 2L);
        }
    }

    @Test
    void oneHandlerSettingManyTimersDrainsThemOverSeveralBoundedPunctuations() {
        int timers = 12_000;
        try (VedTestKit kit = kit()) {
            kit.send(P1, new Append(1_000_000L + timers, false, null));
            kit.advanceTime(Duration.ofMillis(900));
            assertThat(countAudit(kit)).isZero();
            kit.advanceTime(Duration.ofMillis(100)); // the first punctuation that finds them due
            assertThat(countAudit(kit)).as("one punctuation fires at most its budget")
                    .isEqualTo(DomainProcessor.MAX_DUE_PER_PUNCTUATION);
            kit.advanceTime(Duration.ofMillis(100));
            assertThat(countAudit(kit)).isEqualTo(2L * DomainProcessor.MAX_DUE_PER_PUNCTUATION);
            kit.advanceTime(Duration.ofMillis(100));
            assertThat(countAudit(kit)).as("the rest stayed due and fired next").isEqualTo(timers);
        }
    }

    private static long countAudit(VedTestKit kit) {
        return kit.sent().stream().filter(d -> d.topic().equals("audit.inbox")).count();
    }

    @Test
    void aMessageWhoseTimeIsFarFromTheClockDoesNotStallAThrottledInstance() {
        FlakyDomain.reset();
        try (VedTestKit kit = VedTestKit.of("topology/timers.yaml", FlakyDomain.flaky(), LedgerDomain.ledger(),
                LedgerDomain.audit())) {
            DomainRef f = FlakyDomain.FLAKY.ref("clock");
            RecordHeaders future = new RecordHeaders();
            EnvelopeHeaders.put(future, EnvelopeHeaders.TIME, "9000-01-01T00:00:00Z");
            kit.sendRaw(f, "clock".getBytes(StandardCharsets.UTF_8), kit.encode(new Flaky(1L, 0, 0L, 0L)), future);
            RecordHeaders past = new RecordHeaders();
            EnvelopeHeaders.put(past, EnvelopeHeaders.TIME, "1971-01-01T00:00:00Z");
            kit.sendRaw(f, "clock".getBytes(StandardCharsets.UTF_8), kit.encode(new Flaky(2L, 0, 0L, 0L)), past);
            for (long seq = 3; seq <= 8; seq++) {
                kit.send(f, new Flaky(seq, 0, 0L, 0L));
            }
            kit.advanceTime(Duration.ofSeconds(3));

            assertThat(kit.<LedgerState>stateOf(f).getEntries()).containsExactlyElementsOf(LongStream.rangeClosed(1, 8).boxed().toList());
        }
    }

    @Test
    void aFullDeferredQueueDeadLettersWhatCannotWaitAndKeepsTheOrderOfTheRest() {
        FlakyDomain.reset();
        try (VedTestKit kit = VedTestKit.of("topology/bounds.yaml", FlakyDomain.flaky())) {
            DomainRef f = FlakyDomain.FLAKY.ref("flooded");
            for (long seq = 1; seq <= 6; seq++) {
                kit.send(f, new Flaky(seq, 0, 0L, 0L));
            }
            assertThat(kit.deadLetters()).extracting(DeadLetter::reason).containsExactly(DeadLetterReason.DEFERRED_QUEUE_FULL,
                    DeadLetterReason.DEFERRED_QUEUE_FULL);
            assertThat(kit.deadLetters().getFirst().error()).contains("deferredQueue.perInstance: 3");
            kit.advanceTime(Duration.ofSeconds(5));
            assertThat(kit.<LedgerState>stateOf(f).getEntries()).containsExactly(1L, 2L, 3L, 4L);

            for (int i = 0; i < 3; i++) { // each instance handles one at once and defers two: 6 > 5 for the partition
                for (long seq = 1; seq <= 3; seq++) {
                    kit.send(FlakyDomain.FLAKY.ref("n" + i), new Flaky(seq, 0, 0L, 0L));
                }
            }
            assertThat(kit.deadLetters()).last().satisfies(d -> assertThat(d.error()).contains("deferredQueue.perPartition: 5"));
        }
    }

    @Test
    void aRecordNamingANonAvroSchemaIsDeadLetteredWithThatReason() {
        try (VedTestKit kit = kit()) {
            int json = ((InMemorySchemaRegistry) kit.registry()).registerForeign("JSON");
            kit.sendRaw(P1, "p1".getBytes(StandardCharsets.UTF_8), WireFormat.frame(json, "{}".getBytes(StandardCharsets.UTF_8)),
                    new RecordHeaders());
            kit.send(P1, new Append(1L, false, null));

            assertThat(kit.deadLetters()).singleElement().satisfies(d -> {
                assertThat(d.reason()).isEqualTo(DeadLetterReason.UNUSABLE_SCHEMA);
                assertThat(d.error()).contains("is a JSON schema, not Avro");
            });
            assertThat(kit.<LedgerState>stateOf(P1).getEntries()).containsExactly(1L);
        }
    }

    @Test
    void overridesThatWeakenTheGuaranteeAreRefusedWhenTheApplicationIsBuilt() {
        Ved.Builder weaker = Ved.builder().topologyResource("topology/ledger.yaml").domains(List.of(LedgerDomain.ledger(),
                LedgerDomain.audit())).streamsConfig("processing.guarantee", "at_least_once");
        assertThatThrownBy(weaker::build).isInstanceOf(TopologyFileException.class)
                .hasMessageContaining("processing.guarantee=at_least_once is refused")
                .hasMessageContaining(StreamsSettings.ALLOW_WEAKER_GUARANTEE + "=true");
        assertThatThrownBy(() -> StreamsSettings.checkGuarantee(Map.of("consumer.isolation.level", "read_uncommitted")))
                .hasMessageContaining("consumer.isolation.level=read_uncommitted is refused");

        var allowed = StreamsSettings.of(TopologyFileReader.readResource("topology/ledger.yaml"), "localhost:9092", java.nio.file.Path.of("/tmp"),
                Map.of("processing.guarantee", "at_least_once", StreamsSettings.ALLOW_WEAKER_GUARANTEE, "true"));
        assertThat(allowed.get("processing.guarantee")).isEqualTo("at_least_once");
        assertThat(allowed).doesNotContainKey(StreamsSettings.ALLOW_WEAKER_GUARANTEE);
    }

    @Test
    void aClientConfigFileGivesItsSettingsToTheApplicationAndABadOneIsNamed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("client.properties"),
                "# a weaker guarantee, to see that the file's settings arrive\nprocessing.guarantee = at_least_once\n");
        Ved.Builder fromFile = Ved.builder().topologyResource("topology/ledger.yaml").domains(List.of(LedgerDomain.ledger(),
                LedgerDomain.audit())).clientConfig(file);
        assertThatThrownBy(fromFile::build).isInstanceOf(TopologyFileException.class)
                .hasMessageContaining("processing.guarantee=at_least_once is refused");
        assertThatThrownBy(() -> Ved.builder().clientConfig(dir.resolve("missing.properties")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot read the client config file " + dir.resolve("missing.properties") + " (NoSuchFileException")
                .hasMessageEndingWith("give a readable Java properties file of Kafka client settings");
    }

    @Test
    void standbysUnderTheStreamsRebalanceProtocolAreRefusedWhenTheApplicationIsBuilt() {
        Ved.Builder both = Ved.builder().topologyResource("topology/ledger.yaml").domains(List.of(LedgerDomain.ledger(),
                LedgerDomain.audit())).streamsRebalanceProtocol().standbyReplicas(1);
        assertThatThrownBy(both::build).isInstanceOf(TopologyFileException.class)
                .hasMessageContaining("num.standby.replicas=1 has no effect with group.protocol=streams")
                .hasMessageContaining("streams.num.standby.replicas=1");
        assertThatThrownBy(() -> StreamsSettings.checkGroupProtocol(Map.of("group.protocol", " STREAMS ", "num.standby.replicas", "2")))
                .isInstanceOf(TopologyFileException.class);

        StreamsSettings.checkGroupProtocol(Map.of("group.protocol", "streams", "num.standby.replicas", "0"));
        StreamsSettings.checkGroupProtocol(Map.of("group.protocol", "classic", "num.standby.replicas", "1"));
        StreamsSettings.checkGroupProtocol(Map.of("num.standby.replicas", 1));
        try (var app = Ved.builder().topologyResource("topology/ledger.yaml").domains(List.of(LedgerDomain.ledger(),
                LedgerDomain.audit())).streamsRebalanceProtocol().transactionalStateStores().build()) {
            assertThat(app).isNotNull();
        }
    }
}
