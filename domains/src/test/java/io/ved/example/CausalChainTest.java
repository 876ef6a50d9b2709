package io.ved.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.ved.api.DomainRef;
import io.ved.example.billing.PlaceOrder;
import io.ved.example.inventory.Restock;
import io.ved.example.inventory.StockReserved;
import io.ved.testkit.Delivered;
import io.ved.api.Sent;
import io.ved.testkit.VedTestKit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A chain Billing -> Inventory -> Billing keeps one correlation, each link caused by the one before. */
class CausalChainTest {

    @Test
    void aChainKeepsItsCorrelationAndEachLinkNamesItsCause() {
        try (VedTestKit kit = VedTestKit.of(ExampleApp.TOPOLOGY, BillingDomain.definition(), InventoryDomain.definition())) {
            DomainRef acme = BillingDomain.ref("acme");
            kit.send(InventoryDomain.ref("B7"), new Restock("B7", 1));

            Sent order = kit.send(acme, new PlaceOrder("o-1", "B7", 1, 500L));

            List<Delivered> chain = kit.correlation(order.correlationId());
            assertThat(chain).hasSize(2);
            Delivered reserve = chain.get(0);
            Delivered reserved = chain.get(1);
            assertThat(reserve.sender()).contains(acme);
            assertThat(reserve.causationId()).contains(order.id());
            assertThat(reserve.hops()).isEqualTo(1);
            assertThat(reserved.is(StockReserved.class)).isTrue();
            assertThat(reserved.causationId()).contains(reserve.id());
            assertThat(reserved.hops()).isEqualTo(2);
            assertThat(chain).extracting(Delivered::correlationId).containsOnly(order.correlationId());
            assertThat(chain).extracting(Delivered::id).doesNotHaveDuplicates().doesNotContain(order.id());
        }
    }

    @Test
    void aReplayOfTheSameInputAssignsTheSameIds() {
        List<String> first = idsOfOneRun();
        List<String> second = idsOfOneRun();
        assertThat(second).isEqualTo(first);
    }

    private static List<String> idsOfOneRun() {
        try (VedTestKit kit = VedTestKit.of(ExampleApp.TOPOLOGY, BillingDomain.definition(), InventoryDomain.definition())) {
            kit.send(InventoryDomain.ref("B7"), new Restock("B7", 1));
            kit.send(BillingDomain.ref("acme"), new PlaceOrder("o-1", "B7", 1, 500L));
            return kit.sent().stream().map(d -> d.id().value()).toList();
        }
    }
}
