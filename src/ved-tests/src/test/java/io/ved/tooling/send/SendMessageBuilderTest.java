package io.ved.tooling.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ved.api.DomainRef;
import io.ved.example.ExampleApp;
import io.ved.example.billing.CancelOrder;
import io.ved.example.billing.PlaceOrder;
import io.ved.example.inventory.ReleaseStock;
import io.ved.runtime.DomainCatalog;
import io.ved.runtime.topology.TopologyFileReader;
import org.junit.jupiter.api.Test;

/** Sends to the example domains are checked against the topology, the definitions and the schemas. */
class SendMessageBuilderTest {
    private static final DomainCatalog CATALOG =
            new DomainCatalog(TopologyFileReader.readResource(ExampleApp.TOPOLOGY), ExampleApp.domains());

    private final MessageBuilder builder = new MessageBuilder(CATALOG);

    @Test
    void buildsTheDocExample() {
        CheckedSend send = builder.build("InventoryDomain[88] ReleaseStock(item_id: \"A12\", qty: 1)");

        assertThat(send.target()).isEqualTo(DomainRef.of("InventoryDomain", "88"));
        assertThat(send.message()).isInstanceOf(ReleaseStock.class).isEqualTo(new ReleaseStock("A12", 1, null));
    }

    @Test
    void acceptsTheFullNameOfTheMessageType() {
        CheckedSend send = builder.build("BillingDomain[acme] io.ved.example.billing.CancelOrder(order_id: \"o-1\")");

        assertThat(send.message()).isEqualTo(new CancelOrder("o-1"));
    }

    @Test
    void fillsInDefaultsAndTakesNullForANullableField() {
        assertThat(builder.build("BillingDomain[acme] PlaceOrder(order_id: \"o-1\", item_id: \"A12\", qty: 2)").message())
                .isEqualTo(new PlaceOrder("o-1", "A12", 2, 0L));
        assertThat(builder.build("InventoryDomain[A12] ReleaseStock(qty: 1, item_id: \"A12\", order_id: null)").message())
                .isEqualTo(new ReleaseStock("A12", 1, null));
        assertThat(builder.build("InventoryDomain[A12] ReleaseStock(item_id: \"A12\", qty: 1, order_id: \"o-1\")").message())
                .isEqualTo(new ReleaseStock("A12", 1, "o-1"));
    }

    @Test
    void anIntegerLiteralFillsALongField() {
        assertThat(builder.build("BillingDomain[acme] PlaceOrder(order_id: \"o\", item_id: \"A\", qty: 1, unit_price_cents: 9000000000)")
                .message()).isEqualTo(new PlaceOrder("o", "A", 1, 9_000_000_000L));
    }

    @Test
    void anUnknownDomainTypeListsTheKnownOnes() {
        assertThatThrownBy(() -> builder.build("WarehouseDomain[1] ReleaseStock(item_id: \"A12\", qty: 1)"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessage("unknown domain type WarehouseDomain; the topology file has BillingDomain, InventoryDomain");
    }

    @Test
    void aMessageTheDomainDoesNotAcceptListsWhatItAccepts() {
        assertThatThrownBy(() -> builder.build("InventoryDomain[88] PlaceOrder(order_id: \"o\")"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessage("InventoryDomain does not accept PlaceOrder; it accepts Restock, ReserveStock, ReleaseStock");
    }

    @Test
    void anUnknownFieldListsTheSchemaFields() {
        assertThatThrownBy(() -> builder.build("InventoryDomain[88] ReleaseStock(item_id: \"A12\", qty: 1, qtty: 2)"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessage("ReleaseStock has no field 'qtty'; its fields are item_id, qty, order_id");
    }

    @Test
    void aMissingRequiredFieldIsNamed() {
        assertThatThrownBy(() -> builder.build("InventoryDomain[88] ReleaseStock(item_id: \"A12\")"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessage("ReleaseStock needs field 'qty' (an int), which has no default");
    }

    @Test
    void emptyParenthesesNeedASchemaWithoutRequiredFields() {
        assertThatThrownBy(() -> builder.build("BillingDomain[acme] CancelOrder()"))
                .hasMessage("CancelOrder needs field 'order_id' (a string), which has no default");
        assertThatThrownBy(() -> builder.build("InventoryDomain[88] ReleaseStock()"))
                .hasMessage("ReleaseStock needs fields 'item_id' (a string), 'qty' (an int), which have no default");
    }

    @Test
    void aValueOfTheWrongTypeNamesFieldTypeAndValue() {
        assertThatThrownBy(() -> builder.build("InventoryDomain[88] ReleaseStock(item_id: \"A12\", qty: \"one\")"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessage("field 'qty' of ReleaseStock is an int, but got \"one\"");
        assertThatThrownBy(() -> builder.build("InventoryDomain[88] ReleaseStock(item_id: \"A12\", qty: 1.5)"))
                .hasMessage("field 'qty' of ReleaseStock is an int, but got 1.5");
        assertThatThrownBy(() -> builder.build("InventoryDomain[88] ReleaseStock(item_id: 12, qty: 1)"))
                .hasMessage("field 'item_id' of ReleaseStock is a string, but got 12");
        assertThatThrownBy(() -> builder.build("InventoryDomain[88] ReleaseStock(item_id: \"A12\", qty: 1, order_id: 7)"))
                .hasMessage("field 'order_id' of ReleaseStock is a string or null, but got 7");
    }

    @Test
    void aBareNameForAStringFieldIsToldToQuoteIt() {
        assertThatThrownBy(() -> builder.build("InventoryDomain[88] ReleaseStock(item_id: A12, qty: 1)"))
                .hasMessage("field 'item_id' of ReleaseStock is a string, but got A12 (write strings in double quotes: \"A12\")");
    }

    @Test
    void nullIsOnlyForNullableFields() {
        assertThatThrownBy(() -> builder.build("InventoryDomain[88] ReleaseStock(item_id: null, qty: 1)"))
                .hasMessage("field 'item_id' of ReleaseStock is a string, but got null");
    }

    @Test
    void anIntOutOfRangeIsRefused() {
        assertThatThrownBy(() -> builder.build("InventoryDomain[88] ReleaseStock(item_id: \"A12\", qty: 3000000000)"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessage("field 'qty' of ReleaseStock is an int, but 3000000000 is out of its range (-2147483648 to 2147483647)");
        assertThatThrownBy(() -> builder.build("BillingDomain[acme] PlaceOrder(order_id: \"o\", item_id: \"A\", qty: 1,"
                + " unit_price_cents: 99999999999999999999)"))
                .hasMessage("field 'unit_price_cents' of PlaceOrder is a long, but 99999999999999999999 is out of its range"
                        + " (-9223372036854775808 to 9223372036854775807)");
    }

    @Test
    void syntaxErrorsComeBeforeAnyCheck() {
        assertThatThrownBy(() -> builder.build("WarehouseDomain[1] ReleaseStock(qty 1)"))
                .isInstanceOf(SendSyntaxException.class);
    }
}
