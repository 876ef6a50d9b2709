package io.ved.tooling.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ved.api.DomainDefinition;
import io.ved.api.DomainType;
import io.ved.runtime.DomainCatalog;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import io.ved.testdomains.LedgerState;
import io.ved.testdomains.send.Address;
import io.ved.testdomains.send.Ping;
import io.ved.testdomains.send.ShipStatus;
import io.ved.testdomains.send.Shipment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every Avro type a send can fill in: enums, nested records, arrays, maps, unions, logical types, bytes. */
class SendValueTypesTest {
    private static final DomainType DEPOT = DomainType.named("DepotDomain");
    private static final DomainType REMOTE = DomainType.named("RemoteDomain");
    private static final TopologyFile TOPOLOGY = new TopologyFile("ved-send-test", "send.deadletters", "send.replies",
            List.of(topic(DEPOT, "depot.inbox"), topic(REMOTE, "remote.inbox")));
    private static final DomainDefinition<LedgerState> DEPOT_DOMAIN = DomainDefinition.of(DEPOT, LedgerState.class)
            .initialState(id -> new LedgerState(List.of()))
            .on(Shipment.class, (state, message, ctx) -> state)
            .on(Ping.class, (state, message, ctx) -> state)
            .build();

    private final MessageBuilder builder = new MessageBuilder(new DomainCatalog(TOPOLOGY, List.of(DEPOT_DOMAIN)));

    private static DomainTopic topic(DomainType type, String name) {
        return new DomainTopic(type, name, 1, (short) 1, -1L);
    }

    private Shipment ship(String fields) {
        return (Shipment) builder.build("DepotDomain[d1] Shipment(" + fields + ")").message();
    }

    @Test
    void emptyParenthesesTakeEveryDefault() {
        assertThat(builder.build("DepotDomain[d1] Ping()").message()).isEqualTo(new Ping("hello"));
    }

    @Test
    void defaultsOfEveryKindAreFilledIn() {
        Shipment shipment = ship("id: \"s1\"");

        assertThat(shipment.getCount()).isZero();
        assertThat(shipment.getWeight()).isZero();
        assertThat(shipment.getRatio()).isEqualTo(1f);
        assertThat(shipment.getExpress()).isFalse();
        assertThat(shipment.getStatus()).isEqualTo(ShipStatus.PENDING);
        assertThat(shipment.getAddress()).isNull();
        assertThat(shipment.getLines()).isEmpty();
        assertThat(shipment.getTags()).isEmpty();
        assertThat(shipment.getCode()).isNull();
        assertThat(shipment.getShippedAt()).isNull();
        assertThat(shipment.getPayload()).isEqualTo(ByteBuffer.allocate(0));
    }

    @Test
    void buildsEveryKindOfValueIntoTheGeneratedClasses() {
        Shipment shipment = ship("id: \"s1\", count: 12, weight: 2.5, ratio: 3, express: true, status: SHIPPED,"
                + " address: {street: \"Main\", number: 4}, lines: [1, 2], tags: {\"gift wrap\": \"yes\"},"
                + " code: \"X9\", shipped_at: 1700000000000, payload: \"ab\"");

        assertThat(shipment).isEqualTo(Shipment.newBuilder()
                .setId("s1").setCount(12L).setWeight(2.5).setRatio(3f).setExpress(true).setStatus(ShipStatus.SHIPPED)
                .setAddress(new Address("Main", 4, null)).setLines(List.of(1, 2)).setTags(Map.of("gift wrap", "yes"))
                .setCode("X9").setShippedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .setPayload(ByteBuffer.wrap("ab".getBytes(StandardCharsets.ISO_8859_1)))
                .build());
        assertThat(shipment.getAddress()).isInstanceOf(Address.class);
        assertThat(shipment.getStatus()).isInstanceOf(ShipStatus.class);
    }

    @Test
    void aUnionTakesTheFirstBranchTheValueFits() {
        assertThat(ship("id: \"s\", code: 7").getCode()).isEqualTo(7);
        assertThat(ship("id: \"s\", code: \"7\"").getCode()).isEqualTo("7");
        assertThat(ship("id: \"s\", code: null").getCode()).isNull();
    }

    @Test
    void aUnionReportsTheBranchThatCameClosest() {
        assertThatThrownBy(() -> ship("id: \"s\", code: 3000000000"))
                .hasMessage("field 'code' of Shipment is an int, but 3000000000 is out of its range (-2147483648 to 2147483647)");
        assertThatThrownBy(() -> ship("id: \"s\", code: true"))
                .hasMessage("field 'code' of Shipment is an int or a string or null, but got true");
    }

    @Test
    void anUnknownEnumSymbolListsTheSymbols() {
        assertThatThrownBy(() -> ship("id: \"s\", status: BOGUS"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessage("field 'status' of Shipment is an enum ShipStatus (PENDING, SHIPPED, LOST), but got BOGUS");
    }

    @Test
    void aNestedRecordIsCheckedWithItsPath() {
        assertThatThrownBy(() -> ship("id: \"s\", address: {street: \"Main\", number: \"four\"}"))
                .hasMessage("field 'address.number' of Shipment is an int, but got \"four\"");
        assertThatThrownBy(() -> ship("id: \"s\", address: {street: \"Main\"}"))
                .hasMessage("Address (field 'address' of Shipment) needs field 'number' (an int), which has no default");
        assertThatThrownBy(() -> ship("id: \"s\", address: {street: \"Main\", number: 4, floor: 2}"))
                .hasMessage("Address (field 'address' of Shipment) has no field 'floor'; its fields are street, number, unit");
        assertThatThrownBy(() -> ship("id: \"s\", address: \"Main 4\""))
                .hasMessage("field 'address' of Shipment is a record Address or null, but got \"Main 4\"");
    }

    @Test
    void arrayAndMapElementsAreCheckedWithTheirPlace() {
        assertThatThrownBy(() -> ship("id: \"s\", lines: [1, \"two\"]"))
                .hasMessage("field 'lines[1]' of Shipment is an int, but got \"two\"");
        assertThatThrownBy(() -> ship("id: \"s\", lines: 1"))
                .hasMessage("field 'lines' of Shipment is an array of int, but got 1");
        assertThatThrownBy(() -> ship("id: \"s\", tags: {gift: 1}"))
                .hasMessage("field 'tags[\"gift\"]' of Shipment is a string, but got 1");
    }

    @Test
    void floatingPointFieldsCheckTheirRange() {
        assertThatThrownBy(() -> ship("id: \"s\", ratio: 1e39"))
                .hasMessage("field 'ratio' of Shipment is a float, but 1E+39 is out of its range (-3.4028235E38 to 3.4028235E38)");
        assertThatThrownBy(() -> ship("id: \"s\", weight: \"heavy\""))
                .hasMessage("field 'weight' of Shipment is a double, but got \"heavy\"");
    }

    @Test
    void bytesTakeOneCharacterPerByte() {
        assertThatThrownBy(() -> ship("id: \"s\", payload: \"\\u0100\""))
                .hasMessage("field 'payload' of Shipment is bytes, written one character per byte (\\u0000 to \\u00ff),"
                        + " but \"\u0100\" has a character above \\u00ff");
    }

    @Test
    void aLogicalTypeNamesItself() {
        assertThatThrownBy(() -> ship("id: \"s\", shipped_at: \"yesterday\""))
                .hasMessage("field 'shipped_at' of Shipment is a long (timestamp-millis) or null, but got \"yesterday\"");
    }

    @Test
    void aDomainTypeDefinedElsewhereCannotBeChecked() {
        assertThatThrownBy(() -> builder.build("RemoteDomain[1] Ping()"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessage("RemoteDomain is in the topology file but not defined in this application,"
                        + " so its messages cannot be checked; domains defined here: DepotDomain");
    }
}
