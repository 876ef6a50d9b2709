package io.ved.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.ved.api.DomainRef;
import io.ved.example.billing.BillingState;
import io.ved.example.billing.CancelOrder;
import io.ved.example.billing.InvoiceStatus;
import io.ved.example.billing.PlaceOrder;
import io.ved.example.inventory.InventoryState;
import io.ved.example.inventory.OutOfStock;
import io.ved.example.inventory.ReleaseStock;
import io.ved.example.inventory.ReserveStock;
import io.ved.example.inventory.Restock;
import io.ved.example.inventory.StockReserved;
import io.ved.testkit.Delivered;
import io.ved.testkit.VedTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scenario of the Ved docs, told as stories: orders that succeed, run out of stock, or are cancelled. */
class OrderScenarioTest {
    private static final DomainRef ACME = BillingDomain.ref("acme");
    private static final DomainRef A12 = InventoryDomain.ref("A12");

    private VedTestKit kit;

    @BeforeEach
    void fiveUnitsOfA12OnHand() {
        kit = VedTestKit.of(ExampleApp.TOPOLOGY, BillingDomain.definition(), InventoryDomain.definition());
        kit.send(A12, new Restock("A12", 5));
    }

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void anOrderThatFitsTheStockIsConfirmedAndReservesTheUnits() {
        kit.send(ACME, new PlaceOrder("o-1", "A12", 2, 1250L));

        BillingState billing = kit.stateOf(ACME);
        assertThat(billing.getInvoices().get("o-1").getStatus()).isEqualTo(InvoiceStatus.CONFIRMED);
        InventoryState stock = kit.stateOf(A12);
        assertThat(stock.getOnHand()).isEqualTo(3);
        assertThat(stock.getReservations()).containsEntry("o-1", 2);

        assertThat(kit.sentBy(ACME)).singleElement().satisfies(sent -> {
            assertThat(sent.target()).contains(A12);
            assertThat(sent.as(ReserveStock.class).getQty()).isEqualTo(2);
        });
        assertThat(kit.sentBy(A12)).singleElement().satisfies(sent -> {
            assertThat(sent.target()).contains(ACME);
            assertThat(sent.message()).isEqualTo(new StockReserved("o-1", "A12", 2));
        });
        assertThat(kit.deadLetters()).isEmpty();
    }

    @Test
    void anOrderLargerThanTheStockIsRejectedAndTakesNothing() {
        kit.send(ACME, new PlaceOrder("o-2", "A12", 9, 1250L));

        BillingState billing = kit.stateOf(ACME);
        assertThat(billing.getInvoices().get("o-2").getStatus()).isEqualTo(InvoiceStatus.REJECTED);
        assertThat(billing.getInvoices().get("o-2").getReason()).isEqualTo("out of stock: 9 requested, 5 on hand");
        InventoryState stock = kit.stateOf(A12);
        assertThat(stock.getOnHand()).isEqualTo(5);
        assertThat(kit.sentTo(ACME)).extracting(Delivered::message).containsExactly(new OutOfStock("o-2", "A12", 9, 5));
    }

    @Test
    void cancellingAConfirmedOrderReturnsItsStock() {
        kit.send(ACME, new PlaceOrder("o-3", "A12", 4, 990L));
        InventoryState reserved = kit.stateOf(A12);
        assertThat(reserved.getOnHand()).isEqualTo(1);

        kit.send(ACME, new CancelOrder("o-3"));

        BillingState billing = kit.stateOf(ACME);
        assertThat(billing.getInvoices().get("o-3").getStatus()).isEqualTo(InvoiceStatus.CANCELLED);
        InventoryState stock = kit.stateOf(A12);
        assertThat(stock.getOnHand()).isEqualTo(5);
        assertThat(stock.getReservations()).isEmpty();
        assertThat(kit.sentTo(A12)).extracting(Delivered::message)
                .containsExactly(new ReserveStock("o-3", "A12", 4), new ReleaseStock("A12", 4, "o-3"));
    }

    @Test
    void placingTheSameOrderTwiceReservesOnce() {
        kit.send(ACME, new PlaceOrder("o-4", "A12", 2, 100L));
        kit.send(ACME, new PlaceOrder("o-4", "A12", 2, 100L));

        InventoryState stock = kit.stateOf(A12);
        assertThat(stock.getOnHand()).isEqualTo(3);
        assertThat(kit.sentTo(A12)).hasSize(1);
        BillingState billing = kit.stateOf(ACME);
        assertThat(billing.getInvoices()).containsOnlyKeys("o-4");
    }

    @Test
    void cancellingTwiceReleasesOnce() {
        kit.send(ACME, new PlaceOrder("o-5", "A12", 3, 100L));
        kit.send(ACME, new CancelOrder("o-5"));
        kit.send(ACME, new CancelOrder("o-5"));
        kit.send(A12, new ReleaseStock("A12", 3, "o-5"));

        InventoryState stock = kit.stateOf(A12);
        assertThat(stock.getOnHand()).isEqualTo(5);
    }

    @Test
    void ordersFromTwoAccountsCompeteForTheSameStock() {
        DomainRef globex = BillingDomain.ref("globex");
        kit.send(ACME, new PlaceOrder("a-1", "A12", 3, 100L));
        kit.send(globex, new PlaceOrder("g-1", "A12", 3, 100L));

        BillingState acme = kit.stateOf(ACME);
        BillingState other = kit.stateOf(globex);
        assertThat(acme.getInvoices().get("a-1").getStatus()).isEqualTo(InvoiceStatus.CONFIRMED);
        assertThat(other.getInvoices().get("g-1").getStatus()).isEqualTo(InvoiceStatus.REJECTED);
    }
}
