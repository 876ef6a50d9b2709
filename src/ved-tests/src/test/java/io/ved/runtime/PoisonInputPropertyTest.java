package io.ved.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.WireFormat;
import io.ved.envelope.registry.InMemorySchemaRegistry;
import io.ved.internal.TraceOutcome;
import io.ved.internal.TraceRecord;
import io.ved.runtime.storm.StormPolicy;
import io.ved.runtime.storm.ThrottlePolicy;
import io.ved.runtime.storm.Trail;
import io.ved.runtime.topology.DomainPolicy;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.HandlerThread;
import io.ved.runtime.topology.RetryPolicy;
import io.ved.runtime.topology.TopologyFile;
import io.ved.testdomains.Append;
import io.ved.testdomains.LedgerDomain;
import io.ved.testdomains.LedgerState;
import io.ved.testdomains.Unwanted;
import io.ved.testkit.VedTestKit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Whatever a record in an inbox holds, the mailbox accounts for it and goes on: generated keys, values, headers,
 * schema ids and times, interleaved with valid messages, never make {@code process} or the punctuator throw; each
 * record ends handled, dead-lettered or quarantined exactly once; and every valid message is applied exactly once,
 * in order, by its instance. jqwik prints the seed of a failing try, to run it again.
 */
class PoisonInputPropertyTest {
    private static final List<String> GOOD_IDS = List.of("good-0", "good-1", "good-2");
    private static final String INBOX = "ledger.inbox";

    /** One record to pipe in: a valid message for a good instance (seq > 0), or anything at all. */
    record Input(boolean good, int instance, byte[] key, ValueKind value, byte[] bytes, List<Header> headers) {
    }

    record Header(String name, byte[] value) {
    }

    enum ValueKind { NONE, RAW, UNKNOWN_ID, FOREIGN_ID, APPEND_ID_RANDOM_BODY, VALID_APPEND, VALID_FAILING_APPEND, UNWANTED }

    @Property(tries = 100)
    void everyRecordIsAccountedForAndTheMailboxGoesOn(@ForAll("inputs") List<Input> inputs) {
        try (VedTestKit kit = VedTestKit.of(topology(), List.of(LedgerDomain.ledger()))) {
            InMemorySchemaRegistry registry = (InMemorySchemaRegistry) kit.registry();
            int foreignId = registry.registerForeign("JSON");
            int appendId = registry.register(Append.getClassSchema().getFullName(), Append.getClassSchema());
            Map<String, List<Long>> expected = new HashMap<>();
            long seq = 0;
            for (Input input : inputs) {
                if (input.good()) {
                    String id = GOOD_IDS.get(input.instance());
                    seq++;
                    expected.computeIfAbsent(id, k -> new ArrayList<>()).add(seq);
                    kit.sendRaw(LedgerDomain.LEDGER.ref(id), id.getBytes(StandardCharsets.UTF_8),
                            kit.encode(new Append(seq, false, null)), new RecordHeaders());
                } else {
                    kit.sendRaw(LedgerDomain.LEDGER.ref("x"), input.key(), value(kit, input, foreignId, appendId), headers(input));
                }
            }
            kit.advanceTime(Duration.ofSeconds(5)); // every retry falls due and ends

            for (String id : GOOD_IDS) {
                LedgerState state = kit.stateOf(LedgerDomain.LEDGER.ref(id));
                assertThat(state.getEntries()).as("the valid messages of " + id + ", once each, in order")
                        .containsExactlyElementsOf(expected.getOrDefault(id, List.of()));
            }
            long sentToInbox = kit.sent().stream().filter(d -> d.topic().equals(INBOX)).count();
            Map<Long, List<TraceOutcome>> finalOutcomes = kit.traces().stream()
                    .filter(t -> t.getTopic().equals(INBOX) && t.getOutcome() != TraceOutcome.DEFERRED
                            && t.getOutcome() != TraceOutcome.RETRY_SCHEDULED)
                    .collect(Collectors.groupingBy(TraceRecord::getOffset,
                            Collectors.mapping(TraceRecord::getOutcome, Collectors.toList())));
            assertThat(finalOutcomes).as("one final outcome per record, for every record").hasSize((int) (inputs.size() + sentToInbox));
            assertThat(finalOutcomes.values()).allSatisfy(outcomes -> assertThat(outcomes).hasSize(1));
            long deadLettered = finalOutcomes.values().stream().filter(o -> o.getFirst() == TraceOutcome.DEAD_LETTERED).count();
            long quarantined = finalOutcomes.values().stream().filter(o -> o.getFirst() == TraceOutcome.QUARANTINED).count();
            assertThat(kit.deadLetters()).as("a dead letter for each record traced as dead-lettered").hasSize((int) deadLettered);
            assertThat(kit.quarantined()).hasSize((int) quarantined);
            assertThat(kit.deadLetters()).allSatisfy(d -> assertThat(d.error()).isNotBlank());
        }
    }

    private static TopologyFile topology() {
        DomainPolicy policy = new DomainPolicy(new RetryPolicy(2, Duration.ofMillis(100), Duration.ofMillis(100)),
                Duration.ofSeconds(5), HandlerThread.STREAM, true, StormPolicy.DEFAULT, ThrottlePolicy.NONE);
        return new TopologyFile("ved-poison-property", "poison.deadletters", "poison.replies",
                List.of(new DomainTopic(LedgerDomain.LEDGER, INBOX, 1, (short) 1, -1, policy),
                        new DomainTopic(LedgerDomain.AUDIT, "audit.inbox", 1, (short) 1, -1)));
    }

    private static byte[] value(VedTestKit kit, Input input, int foreignId, int appendId) {
        return switch (input.value()) {
            case NONE -> null;
            case RAW -> input.bytes();
            case UNKNOWN_ID -> WireFormat.frame(900_000 + input.bytes().length, input.bytes());
            case FOREIGN_ID -> WireFormat.frame(foreignId, input.bytes());
            case APPEND_ID_RANDOM_BODY -> WireFormat.frame(appendId, input.bytes());
            case VALID_APPEND -> kit.encode(new Append(-1L, false, null));
            case VALID_FAILING_APPEND -> kit.encode(new Append(-2L, true, null));
            case UNWANTED -> kit.encode(new Unwanted("x"));
        };
    }

    private static RecordHeaders headers(Input input) {
        RecordHeaders headers = new RecordHeaders();
        input.headers().forEach(h -> headers.add(h.name(), h.value()));
        return headers;
    }

    @Provide
    Arbitrary<List<Input>> inputs() {
        Arbitrary<Input> good = Arbitraries.integers().between(0, GOOD_IDS.size() - 1)
                .map(i -> new Input(true, i, null, ValueKind.NONE, null, List.of()));
        // A header can only do harm on a record whose key and value are good, so those are the common case.
        Arbitrary<ValueKind> kinds = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, Arbitraries.just(ValueKind.VALID_APPEND)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(ValueKind.class)));
        Arbitrary<Input> bad = Combinators.combine(keys(), kinds, bytes(), headerLists())
                .as((key, kind, bytes, headers) -> new Input(false, 0, key, kind, bytes, headers));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, good), net.jqwik.api.Tuple.of(2, bad)).list().ofMinSize(1).ofMaxSize(40);
    }

    private static Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(48);
    }

    /** Keys of every kind but a good instance's id. */
    private static Arbitrary<byte[]> keys() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, Arbitraries.strings().alpha().numeric().ofMinLength(1)
                        .ofMaxLength(8).map(s -> ("bad-" + s).getBytes(StandardCharsets.UTF_8))),
                net.jqwik.api.Tuple.of(3, oddKeys()));
    }

    private static Arbitrary<byte[]> oddKeys() {
        return Arbitraries.oneOf(
                Arbitraries.just((byte[]) null),
                Arbitraries.just(new byte[0]),
                Arbitraries.of("   ", "\t", "a\u0001b", "bell\u0007", "x[1]", "]", "\u00e9t\u00e9", "\uD83D\uDE00")
                        .map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.just(new byte[] {(byte) 0xff, (byte) 0xfe, 0x41}),
                Arbitraries.just("k".repeat(5_000).getBytes(StandardCharsets.UTF_8)),
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12)
                        .map(s -> ("bad-" + s).getBytes(StandardCharsets.UTF_8)),
                bytes().filter(b -> b.length > 0));
    }

    private static Arbitrary<List<Header>> headerLists() {
        Arbitrary<String> names = Arbitraries.of(EnvelopeHeaders.TIME, EnvelopeHeaders.TIME, EnvelopeHeaders.HOPS,
                EnvelopeHeaders.HOPS, EnvelopeHeaders.ID, EnvelopeHeaders.TYPE, EnvelopeHeaders.SOURCE,
                EnvelopeHeaders.TIME, EnvelopeHeaders.CORRELATION_ID, EnvelopeHeaders.CAUSATION_ID, EnvelopeHeaders.HOPS,
                EnvelopeHeaders.SUBJECT, Trail.HASHES_HEADER, Trail.NAMES_HEADER, "traceparent", "other");
        Arbitrary<byte[]> values = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6,
                Arbitraries.of("", " ", "id-1", "io.ved.testdomains.Append", "/ved/LedgerDomain/good-0", "/ved/%zz/1",
                                "2026-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "+1000000000-12-31T23:59:59Z",
                                "-999999999-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "last tuesday", "0", "-5", "64", "65",
                                "2147483647", "99999999999", "a,b,c", "x|y", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                        .map(s -> s.getBytes(StandardCharsets.UTF_8))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new byte[] {(byte) 0xc3, (byte) 0x28})),
                net.jqwik.api.Tuple.of(1, Arbitraries.just((byte[]) null)),
                net.jqwik.api.Tuple.of(1, bytes()));
        return Combinators.combine(names, values).as(Header::new).list().ofMaxSize(4);
    }
}
