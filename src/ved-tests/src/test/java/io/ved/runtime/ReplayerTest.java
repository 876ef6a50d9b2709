package io.ved.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ved.api.DomainDefinition;
import io.ved.api.MessageId;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.RecordPosition;
import io.ved.example.BillingDomain;
import io.ved.example.ExampleApp;
import io.ved.example.InventoryDomain;
import io.ved.example.billing.BillingState;
import io.ved.example.billing.PlaceOrder;
import io.ved.example.inventory.InventoryState;
import io.ved.example.inventory.ReserveStock;
import io.ved.example.inventory.Restock;
import io.ved.example.inventory.StockReserved;
import io.ved.example.storm.Ping;
import io.ved.example.storm.StormDomains;
import io.ved.example.storm.Tally;
import io.ved.runtime.deadletter.DeadLetterReason;
import io.ved.runtime.storm.Quarantine;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileReader;
import io.ved.testkit.VedTestKit;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The replay engine applies raw inbox records exactly as the mailbox processor does. */
class ReplayerTest {
    private static final TopologyFile FILE = TopologyFileReader.readResource(ExampleApp.TOPOLOGY);
    private static final String INBOX = FILE.require(InventoryDomain.TYPE).topic();

    @Test
    void replayingTheSameRawRecordsGivesTheSameStateAndTheSameMessageIdsAsLive() {
        try (VedTestKit kit = VedTestKit.of(ExampleApp.TOPOLOGY, BillingDomain.definition(), InventoryDomain.definition())) {
            byte[] key = "A12".getBytes(StandardCharsets.UTF_8);
            byte[] restock = kit.encode(new Restock("A12", 5));
            byte[] reserve = kit.encode(new ReserveStock("o-1", "A12", 2));
            // A plain producer: no envelope headers, so ids are derived from the record's position.
            kit.sendRaw(InventoryDomain.ref("A12"), key, restock, new RecordHeaders());
            kit.sendRaw(InventoryDomain.ref("A12"), key, reserve, new RecordHeaders());
            var liveReply = kit.repliesToOutside().get(0);

            DomainCatalog catalog = new DomainCatalog(FILE, ExampleApp.domains());
            try (Replayer<InventoryState> replayer = Replayer.of(InventoryDomain.definition(), catalog, new MessageCodec(kit.registry()))) {
                InventoryState start = replayer.initialState("A12");
                var first = replayer.apply(start, key, restock, new RecordHeaders(), new RecordPosition(INBOX, 0, 0, 1000L));
                var second = replayer.apply(first.after(), key, reserve, new RecordHeaders(), new RecordPosition(INBOX, 0, 1, 2000L));

                assertThat(first.failed()).isFalse();
                assertThat(first.envelope().orElseThrow().id()).isEqualTo(MessageId.derivedFrom(INBOX, "0", "0"));
                assertThat(second.after()).isEqualTo(kit.<InventoryState>stateOf(InventoryDomain.ref("A12")));
                assertThat(second.before().getOnHand()).isEqualTo(5);
                assertThat(second.sends()).singleElement().satisfies(out -> {
                    assertThat(out.message()).isEqualTo(new StockReserved("o-1", "A12", 2));
                    assertThat(out.topic()).isEqualTo(FILE.replyTopic());
                    assertThat(out.envelope().id()).as("the reply's id, derived from the handled message's")
                            .isEqualTo(liveReply.envelope().id());
                });
            }
        }
    }

    @Test
    void aRecordLiveWouldDeadLetterFailsWithTheSameReason() {
        try (VedTestKit kit = VedTestKit.of(ExampleApp.TOPOLOGY, BillingDomain.definition(), InventoryDomain.definition())) {
            DomainCatalog catalog = new DomainCatalog(FILE, ExampleApp.domains());
            MessageCodec codec = new MessageCodec(kit.registry());
            try (Replayer<BillingState> replayer = Replayer.of(BillingDomain.definition(), catalog, codec)) {
                BillingState start = replayer.initialState("acme");
                RecordPosition at = new RecordPosition("billing", 0, 3, 1000L);
                byte[] key = "acme".getBytes(StandardCharsets.UTF_8);

                var garbage = replayer.apply(start, key, new byte[]{1, 2, 3}, new RecordHeaders(), at);
                assertThat(garbage.failure().orElseThrow().reason()).isEqualTo(DeadLetterReason.UNDECODABLE.name());
                assertThat(garbage.message()).isEmpty();

                var noKey = replayer.apply(start, new byte[0], kit.encode(new PlaceOrder("o", "A12", 1, 1L)), new RecordHeaders(), at);
                assertThat(noKey.failure().orElseThrow().reason()).isEqualTo(DeadLetterReason.NO_KEY.name());

                // An item id that is no domain id: the handler's send throws, so live retries it and then dead-letters it.
                var bad = replayer.apply(start, key, kit.encode(new PlaceOrder("o-2", "A[12", 1, 1L)), new RecordHeaders(), at);
                assertThat(bad.failure().orElseThrow().reason()).isEqualTo(DeadLetterReason.HANDLER_FAILED.name());
                assertThat(bad.failure().get().retriedLive()).isTrue();
                assertThat(bad.failure().get().error()).contains("IllegalArgumentException").contains("A[12");
                assertThat(bad.after()).isSameAs(start);
                assertThat(bad.sends()).isEmpty();
                assertThat(bad.message()).contains(new PlaceOrder("o-2", "A[12", 1, 1L));
            }
        }
    }

    @Test
    void aMessageStormProtectionStoppedLiveIsQuarantinedInReplayToo() {
        TopologyFile storm = TopologyFileReader.readResource(StormDomains.TOPOLOGY);
        try (VedTestKit kit = VedTestKit.of(storm, StormDomains.domains())) {
            kit.send(StormDomains.PING.ref("1"), new Ping(0L));
            Quarantine stopped = kit.quarantined().get(0);
            DomainCatalog catalog = new DomainCatalog(storm, StormDomains.domains());
            @SuppressWarnings("unchecked")
            DomainDefinition<Tally> domain = (DomainDefinition<Tally>) catalog.local(io.ved.api.DomainType.named(stopped.domain())).orElseThrow();
            try (Replayer<Tally> replayer = Replayer.of(domain, catalog, new MessageCodec(kit.registry()))) {
                var step = replayer.apply(replayer.initialState("1"), stopped.key(), stopped.value(), stopped.originalHeaders(),
                        new RecordPosition(stopped.topic(), stopped.partition(), stopped.offset(), 1000L));
                assertThat(step.failure()).hasValueSatisfying(f -> {
                    assertThat(f.outcome()).isEqualTo(Replayer.Failure.Outcome.QUARANTINED);
                    assertThat(f.reason()).isEqualTo(Quarantine.Reason.OSCILLATION.name());
                    assertThat(f.error()).contains("more than the 5 repeats allowed");
                });
            }
        }
    }

    @Test
    void onlyLocalDomainTypesCanBeReplayed() {
        DomainCatalog catalog = new DomainCatalog(FILE, List.of(BillingDomain.definition()));
        try (VedTestKit kit = VedTestKit.of(ExampleApp.TOPOLOGY, BillingDomain.definition(), InventoryDomain.definition())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Replayer.of(InventoryDomain.definition(), catalog,
                    new MessageCodec(kit.registry()))).hasMessageContaining("InventoryDomain is not a domain type of this application");
        }
    }
}
