package io.ved.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ved.api.DomainRef;
import io.ved.example.BillingDomain;
import io.ved.example.ExampleApp;
import io.ved.example.InventoryDomain;
import io.ved.example.inventory.ReserveStock;
import io.ved.example.inventory.Restock;
import io.ved.example.inventory.StockReserved;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileException;
import io.ved.runtime.topology.TopologyFileReader;
import io.ved.testkit.VedTestKit;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A {@code ce_source} is a header any producer can set. Only on an inbox the topology says Ved applications alone
 * write ({@code writers: ved}) is a sender it names believed; elsewhere a message claiming to come from a domain is
 * treated as one from outside, and its reply goes to the reply topic, never into the claimed domain's inbox.
 */
class SenderTrustTest {
    private static final DomainRef ITEM = InventoryDomain.ref("A12");
    private static final DomainRef CLAIMED = BillingDomain.ref("acme");

    @Test
    void onAnInboxOnlyVedWritesTheNamedSenderGetsTheReply() {
        try (VedTestKit kit = VedTestKit.of(withInventoryWriters(true), ExampleApp.domains())) {
            kit.send(ITEM, new Restock("A12", 5));
            kit.sendAs(CLAIMED, ITEM, new ReserveStock("o-1", "A12", 2));
            assertThat(kit.sentTo(CLAIMED)).singleElement().satisfies(d -> assertThat(d.message()).isInstanceOf(StockReserved.class));
            assertThat(kit.repliesToOutside()).isEmpty();
        }
    }

    @Test
    void onAnInboxAnyoneMayWriteAClaimedDomainSenderIsTreatedAsOutside() {
        try (VedTestKit kit = VedTestKit.of(withInventoryWriters(false), ExampleApp.domains())) {
            kit.send(ITEM, new Restock("A12", 5));
            kit.sendAs(CLAIMED, ITEM, new ReserveStock("o-1", "A12", 2));
            assertThat(kit.sentTo(CLAIMED)).as("nothing reaches the claimed sender's inbox").isEmpty();
            assertThat(kit.repliesToOutside()).singleElement().satisfies(d -> assertThat(d.message()).isInstanceOf(StockReserved.class));
            assertThat(kit.<io.ved.example.inventory.InventoryState>stateOf(ITEM).getOnHand()).isEqualTo(3);
        }
    }

    @Test
    void theTopologyFileSaysWhoWritesAnInboxAndRefusesAnUnknownWord() {
        String yaml = """
                application: trust
                domains:
                  - type: InventoryDomain
                    topic: trust.inventory
                    writers: ved
                  - type: BillingDomain
                    topic: trust.billing
                """;
        TopologyFile file = TopologyFileReader.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "trust.yaml");
        assertThat(file.require(InventoryDomain.TYPE).policy().trustsSenders()).isTrue();
        assertThat(file.require(BillingDomain.TYPE).policy().trustsSenders()).as("the default: writers: any").isFalse();
        assertThatThrownBy(() -> TopologyFileReader.read(new ByteArrayInputStream(yaml.replace("writers: ved", "writers: everyone")
                .getBytes(StandardCharsets.UTF_8)), "trust.yaml")).isInstanceOf(TopologyFileException.class)
                .hasMessageContaining("writers: everyone is not known for InventoryDomain: use 'ved'");
    }

    private static TopologyFile withInventoryWriters(boolean ved) {
        TopologyFile example = TopologyFileReader.readResource(ExampleApp.TOPOLOGY);
        return new TopologyFile(example.application(), example.deadLetterTopic(), example.replyTopic(), example.traceTopic(),
                example.stormTopic(), example.domains().stream().map(d -> d.type().equals(InventoryDomain.TYPE)
                        ? new DomainTopic(d.type(), d.topic(), d.partitions(), d.replicationFactor(), d.retentionMs(),
                        d.policy().withTrustedSenders(ved)) : d).toList());
    }
}
