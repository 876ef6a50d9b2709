package io.ved.it;

import io.ved.runtime.KafkaVedSender;
import static org.assertj.core.api.Assertions.assertThat;

import io.ved.api.Sent;
import io.ved.api.VedSender;
import io.ved.envelope.MessageCodec;
import io.ved.example.BillingDomain;
import io.ved.example.ExampleApp;
import io.ved.example.InventoryDomain;
import io.ved.example.billing.BillingState;
import io.ved.example.billing.CancelOrder;
import io.ved.example.billing.InvoiceStatus;
import io.ved.example.billing.PlaceOrder;
import io.ved.example.inventory.InventoryState;
import io.ved.example.inventory.Restock;
import io.ved.tooling.inspect.LoggedMessage;
import io.ved.tooling.inspect.MessageLog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example scenario end to end on a real broker and registry, read back with read_committed consumers. */
class ExampleScenarioIT {
    @TempDir
    Path stateDir;

    @Test
    void ordersSucceedRunOutOfStockAndAreCancelled() throws Exception {
        RealStack stack = RealStack.get();
        try (RunningApp app = new RunningApp(stack, TestTopologies.unique(ExampleApp.TOPOLOGY, "scenario"), ExampleApp.domains());
             VedSender sender = KafkaVedSender.connect(stack.bootstrap(), app.registry(), app.topology(), "/scenario-it")) {
            app.start(stateDir);
            sender.send(InventoryDomain.ref("A12"), new Restock("A12", 10));
            sender.send(InventoryDomain.ref("B7"), new Restock("B7", 1));
            app.awaitQuiet();
            Sent confirmed = sender.send(BillingDomain.ref("acme"), new PlaceOrder("o-1", "A12", 3, 1250L));
            sender.send(BillingDomain.ref("globex"), new PlaceOrder("o-2", "B7", 5, 990L));
            sender.send(BillingDomain.ref("acme"), new PlaceOrder("o-3", "A12", 2, 1250L));
            app.awaitQuiet();
            sender.send(BillingDomain.ref("acme"), new CancelOrder("o-3"));
            app.awaitQuiet();

            Map<String, InventoryState> stock = app.states(InventoryDomain.definition());
            assertThat(stock.get("A12").getOnHand()).isEqualTo(7);
            assertThat(stock.get("A12").getReservations()).containsExactly(Map.entry("o-1", 3));
            assertThat(stock.get("B7").getOnHand()).isEqualTo(1);
            Map<String, BillingState> billing = app.states(BillingDomain.definition());
            assertThat(billing.get("acme").getInvoices().get("o-1").getStatus()).isEqualTo(InvoiceStatus.CONFIRMED);
            assertThat(billing.get("acme").getInvoices().get("o-3").getStatus()).isEqualTo(InvoiceStatus.CANCELLED);
            assertThat(billing.get("globex").getInvoices().get("o-2").getStatus()).isEqualTo(InvoiceStatus.REJECTED);

            MessageLog log = MessageLog.read(stack.bootstrap(), app.topology(), new MessageCodec(app.registry()), RunningApp.WAIT);
            List<LoggedMessage> chain = log.byCorrelation().get(confirmed.correlationId().value());
            assertThat(chain).extracting(LoggedMessage::typeName).containsExactly("PlaceOrder", "ReserveStock", "StockReserved");
            assertThat(chain).extracting(m -> m.envelope().hops()).containsExactly(0, 1, 2);
            assertThat(chain.get(1).envelope().causation()).contains(confirmed.id());
            assertThat(chain.get(2).envelope().causation()).contains(chain.get(1).envelope().id());
            assertThat(chain.get(2).envelope().subject()).isEqualTo("BillingDomain[acme]");
        }
    }
}
