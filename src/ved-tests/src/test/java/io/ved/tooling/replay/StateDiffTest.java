package io.ved.tooling.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ved.envelope.AvroJson;
import io.ved.example.billing.BillingState;
import io.ved.example.billing.Invoice;
import io.ved.example.billing.InvoiceStatus;
import io.ved.example.inventory.InventoryState;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** States as plain JSON and back, and field-level differences between two of them. */
class StateDiffTest {
    private static final Invoice PENDING = Invoice.newBuilder().setOrderId("o-1").setItemId("A12").setQty(2)
            .setUnitPriceCents(1250L).setStatus(InvoiceStatus.PENDING).build();

    @Test
    void plainJsonUnwrapsUnionsAndReadsBackLikeAvroJson() {
        BillingState state = BillingState.newBuilder().setAccountId("acme").setInvoices(Map.of("o-1",
                Invoice.newBuilder(PENDING).setStatus(InvoiceStatus.REJECTED).setReason("out of stock").build())).build();

        String plain = AvroJson.toText(state);
        assertThat(plain).contains("\"reason\" : \"out of stock\"").contains("\"status\" : \"REJECTED\"");
        String avro = AvroJson.toAvroJson(state);
        assertThat(avro).containsPattern("\\{\\s*\"string\"\\s*:\\s*\"out of stock\"\\s*}");

        assertThat(AvroJson.parse(plain, BillingState.class)).isEqualTo(state);
        assertThat(AvroJson.parse(avro, BillingState.class)).isEqualTo(state);
    }

    @Test
    void missingFieldsTakeTheirDefaultsAndMistakesAreNamed() {
        assertThat(AvroJson.parse("{\"item_id\": \"A12\"}", InventoryState.class))
                .isEqualTo(InventoryState.newBuilder().setItemId("A12").build());
        assertThatThrownBy(() -> AvroJson.parse("{\"item_id\": \"A12\", \"on_hnad\": 3}", InventoryState.class))
                .hasMessageContaining("has no field 'on_hnad'");
        assertThatThrownBy(() -> AvroJson.parse("{\"item_id\": \"A12\", \"on_hand\": \"three\"}", InventoryState.class))
                .hasMessageContaining("on_hand should be int");
        assertThatThrownBy(() -> AvroJson.parse("{", InventoryState.class)).hasMessageContaining("not JSON");
    }

    @Test
    void changesAreNamedByTheirPath() {
        InventoryState before = InventoryState.newBuilder().setItemId("A12").setOnHand(10).setReservations(Map.of("o-9", 1)).build();
        InventoryState after = InventoryState.newBuilder().setItemId("A12").setOnHand(7).setReservations(Map.of("o-1", 3)).build();

        assertThat(StateDiff.between(AvroJson.toJson(before), AvroJson.toJson(after))).extracting(StateDiff.Change::describe)
                .containsExactly("on_hand: 10 -> 7", "reservations.o-9: 1 -> (none)", "reservations.o-1: (none) -> 3");
        assertThat(StateDiff.between(AvroJson.toJson(before), AvroJson.toJson(before))).isEmpty();
    }

    @Test
    void nestedRecordsInMapsDiffFieldByField() {
        BillingState before = BillingState.newBuilder().setAccountId("acme").setInvoices(Map.of("o-1", PENDING)).build();
        BillingState after = BillingState.newBuilder().setAccountId("acme").setInvoices(Map.of("o-1",
                Invoice.newBuilder(PENDING).setStatus(InvoiceStatus.CONFIRMED).build())).build();

        assertThat(StateDiff.between(AvroJson.toJson(before), AvroJson.toJson(after))).singleElement()
                .satisfies(c -> {
                    assertThat(c.describe()).isEqualTo("invoices.o-1.status: \"PENDING\" -> \"CONFIRMED\"");
                    assertThat(c.describe("replay", "live")).isEqualTo("invoices.o-1.status: \"PENDING\" (replay) vs \"CONFIRMED\" (live)");
                });
    }
}
