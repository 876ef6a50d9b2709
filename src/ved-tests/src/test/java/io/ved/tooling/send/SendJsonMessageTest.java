package io.ved.tooling.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ved.api.DomainRef;
import io.ved.example.ExampleApp;
import io.ved.example.billing.PlaceOrder;
import io.ved.example.inventory.ReleaseStock;
import io.ved.runtime.DomainCatalog;
import io.ved.runtime.topology.TopologyFileReader;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The --json form goes through the same checks, with the same messages, as the send syntax. */
class SendJsonMessageTest {
    private static final DomainCatalog CATALOG =
            new DomainCatalog(TopologyFileReader.readResource(ExampleApp.TOPOLOGY), ExampleApp.domains());

    private final MessageBuilder builder = new MessageBuilder(CATALOG);

    @Test
    void buildsTheDocExample() {
        CheckedSend send = builder.buildJson("InventoryDomain[88]", "ReleaseStock", "{\"item_id\": \"A12\", \"qty\": 1}");

        assertThat(send.target()).isEqualTo(DomainRef.of("InventoryDomain", "88"));
        assertThat(send.message()).isEqualTo(new ReleaseStock("A12", 1, null));
    }

    @Test
    void readsJsonValuesAsTheSendSyntaxDoes() {
        SendRequest json = JsonMessage.parse(DomainRef.of("T", "1"), "M",
                "{\"s\": \"a\", \"i\": 1, \"d\": 1.5, \"b\": true, \"n\": null, \"l\": [1], \"r\": {\"k\": 2}}");
        SendRequest text = SendSyntax.parse("T[1] M(s: \"a\", i: 1, d: 1.5, b: true, n: null, l: [1], r: {k: 2})");

        assertThat(json).isEqualTo(text);
        assertThat(json.fields()).containsEntry("d", new BigDecimal("1.5")).containsEntry("l", List.of(1L))
                .containsEntry("r", Map.of("k", 2L));
    }

    @Test
    void fillsInDefaults() {
        assertThat(builder.buildJson("BillingDomain[acme]", "io.ved.example.billing.PlaceOrder",
                "{\"order_id\": \"o-1\", \"item_id\": \"A12\", \"qty\": 2}").message())
                .isEqualTo(new PlaceOrder("o-1", "A12", 2, 0L));
    }

    @Test
    void givesTheSameErrorsAsTheSendSyntax() {
        assertThatThrownBy(() -> builder.buildJson("InventoryDomain[88]", "ReleaseStock", "{\"item_id\": \"A12\", \"qty\": \"one\"}"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessage("field 'qty' of ReleaseStock is an int, but got \"one\"");
        assertThatThrownBy(() -> builder.buildJson("InventoryDomain[88]", "ReleaseStock", "{\"item_id\": \"A12\", \"qty\": 3000000000}"))
                .hasMessage("field 'qty' of ReleaseStock is an int, but 3000000000 is out of its range (-2147483648 to 2147483647)");
        assertThatThrownBy(() -> builder.buildJson("InventoryDomain[88]", "ReleaseStock", "{\"item_id\": \"A12\"}"))
                .hasMessage("ReleaseStock needs field 'qty' (an int), which has no default");
        assertThatThrownBy(() -> builder.buildJson("InventoryDomain[88]", "ReleaseStock", "{\"item_id\": \"A12\", \"qty\": 1, \"qtty\": 1}"))
                .hasMessage("ReleaseStock has no field 'qtty'; its fields are item_id, qty, order_id");
        assertThatThrownBy(() -> builder.buildJson("InventoryDomain[88]", "PlaceOrder", "{}"))
                .hasMessage("InventoryDomain does not accept PlaceOrder; it accepts Restock, ReserveStock, ReleaseStock");
        assertThatThrownBy(() -> builder.buildJson("WarehouseDomain[1]", "ReleaseStock", "{}"))
                .hasMessage("unknown domain type WarehouseDomain; the topology file has BillingDomain, InventoryDomain");
    }

    @Test
    void invalidJsonNamesLineAndColumn() {
        assertThatThrownBy(() -> JsonMessage.parse("InventoryDomain[88]", "ReleaseStock", "{\"item_id\": \"A12\",\n \"qty\" 1}"))
                .isInstanceOf(SendSyntaxException.class)
                .hasMessageStartingWith("invalid JSON at line 2, column 8: Unexpected character ('1'");
    }

    @Test
    void theJsonMustBeOneObjectWithoutRepeatedKeys() {
        assertThatThrownBy(() -> JsonMessage.parse("InventoryDomain[88]", "ReleaseStock", "[1, 2]"))
                .hasMessage("the JSON message must be an object such as {\"item_id\": \"A12\", \"qty\": 1}, not an array");
        assertThatThrownBy(() -> JsonMessage.parse("InventoryDomain[88]", "ReleaseStock", "{\"qty\": 1, \"qty\": 2}"))
                .hasMessageStartingWith("invalid JSON at line 1, column 17: Duplicate field 'qty'");
        assertThatThrownBy(() -> JsonMessage.parse("InventoryDomain[88]", "ReleaseStock", "{} {}"))
                .hasMessageStartingWith("invalid JSON at line 1, column 4: Trailing token");
        assertThatThrownBy(() -> JsonMessage.parse("InventoryDomain[88]", "ReleaseStock", " "))
                .hasMessage("the JSON message is empty: give an object such as {\"item_id\": \"A12\", \"qty\": 1}");
    }

    @Test
    void aBadAddressOrMissingTypeIsASyntaxError() {
        assertThatThrownBy(() -> JsonMessage.parse("InventoryDomain", "ReleaseStock", "{}"))
                .isInstanceOf(SendSyntaxException.class)
                .hasMessage("'InventoryDomain' is not a domain address: write Type[id], e.g. InventoryDomain[88]");
        assertThatThrownBy(() -> JsonMessage.parse("InventoryDomain[88]", " ", "{}"))
                .hasMessage("no message type given for the JSON message, e.g. ReleaseStock");
    }
}
