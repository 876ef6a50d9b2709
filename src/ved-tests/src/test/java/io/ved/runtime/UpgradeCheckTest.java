package io.ved.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ved.envelope.registry.InMemorySchemaRegistry;
import io.ved.example.ExampleApp;
import io.ved.example.inventory.InventoryState;
import io.ved.example.inventory.ReserveStock;
import io.ved.example.inventory.StockReserved;
import io.ved.runtime.topology.TopologyFileReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** What an application checks at start-up against the schemas the registry already holds. */
class UpgradeCheckTest {
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final DomainCatalog example = new DomainCatalog(TopologyFileReader.readResource(ExampleApp.TOPOLOGY), ExampleApp.domains());

    @Test
    void aFirstStartAndARestartOfTheSameVersionPassAndARegisteredSchemaIsNotCheckedAgain() {
        assertThat(UpgradeCheck.problems(example, registry)).isEmpty();
        example.recordClasses().forEach(c -> registry.register(io.ved.api.DomainDefinition.schemaOf(c).getFullName(),
                io.ved.api.DomainDefinition.schemaOf(c)));
        assertThat(UpgradeCheck.problems(example, registry)).isEmpty();
        register(InventoryState.getClassSchema(), """
                {"type": "record", "name": "InventoryState", "namespace": "io.ved.example.inventory", "fields": []}""");
        assertThat(UpgradeCheck.problems(example, registry)).as("the state schema joined before the bad one").isEmpty();
    }

    @Test
    void aStateFieldWithoutADefaultCannotReadTheStoredStatesAndIsRefusedNamingTypeFieldAndRule() {
        register(InventoryState.getClassSchema(), """
                {"type": "record", "name": "InventoryState", "namespace": "io.ved.example.inventory",
                 "fields": [{"name": "on_hand", "type": "int", "default": 0}]}""");

        assertThatThrownBy(() -> UpgradeCheck.require(example, registry))
                .isInstanceOf(UpgradeCheck.IncompatibleUpgradeException.class)
                .hasMessage("InventoryDomain: state schema io.ved.example.inventory.InventoryState cannot read data written with "
                        + "version 1 (schema id 1): field 'item_id' has no default, and the writer has no such field (give it a "
                        + "default); rule BACKWARD_TRANSITIVE (state is read back from every stored version, so at least "
                        + "BACKWARD_TRANSITIVE)");
    }

    @Test
    void aStateThatLostAFieldOrWidenedATypeReadsTheStoredStates() {
        register(InventoryState.getClassSchema(), """
                {"type": "record", "name": "InventoryState", "namespace": "io.ved.example.inventory",
                 "fields": [{"name": "item_id", "type": "string"}, {"name": "on_hand", "type": "int"},
                            {"name": "legacy_note", "type": "string"}]}""");
        assertThat(UpgradeCheck.problems(example, registry)).isEmpty();
    }

    @Test
    void aNarrowedStateFieldIsRefusedAgainstEveryStoredVersionNotOnlyTheLatest() {
        register(InventoryState.getClassSchema(), """
                {"type": "record", "name": "InventoryState", "namespace": "io.ved.example.inventory",
                 "fields": [{"name": "item_id", "type": "string"}, {"name": "on_hand", "type": "long"}]}""");
        register(InventoryState.getClassSchema(), """
                {"type": "record", "name": "InventoryState", "namespace": "io.ved.example.inventory",
                 "fields": [{"name": "item_id", "type": "string"}, {"name": "on_hand", "type": "int"}]}""");

        assertThat(UpgradeCheck.problems(example, registry)).singleElement().asString()
                .contains("version 1 (schema id 1): field 'on_hand' changed type");
    }

    @Test
    void aSentMessageMustBeReadableBothWaysWithTheLatestVersion() {
        // The running version's StockReserved has a field the new one dropped, with no default: old instances
        // could not read what the new one replies.
        register(StockReserved.getClassSchema(), """
                {"type": "record", "name": "StockReserved", "namespace": "io.ved.example.inventory",
                 "fields": [{"name": "order_id", "type": "string"}, {"name": "item_id", "type": "string"},
                            {"name": "qty", "type": "int"}, {"name": "warehouse", "type": "string"}]}""");

        assertThat(UpgradeCheck.problems(example, registry)).singleElement().asString()
                .startsWith("InventoryDomain: message schema it sends io.ved.example.inventory.StockReserved version 1 (schema id 1) "
                        + "cannot read data written with it: field 'warehouse' has no default")
                .endsWith("rule FULL (old and new versions read each other's messages during a rolling upgrade, so at least FULL)");
    }

    @Test
    void aStricterLevelFromTheTopologyFileAppliesAndNoneTurnsOffOnlyTheMessageCheck() {
        register(ReserveStock.getClassSchema(), """
                {"type": "record", "name": "ReserveStock", "namespace": "io.ved.example.inventory",
                 "fields": [{"name": "legacy", "type": "string"}]}""");
        register(ReserveStock.getClassSchema(), """
                {"type": "record", "name": "ReserveStock", "namespace": "io.ved.example.inventory",
                 "fields": [{"name": "order_id", "type": "string"}, {"name": "item_id", "type": "string"},
                            {"name": "qty", "type": "int"}, {"name": "note", "type": "string", "default": ""}]}""");
        String twoVersionsBack = "version 1 (schema id 1)";
        assertThat(UpgradeCheck.problems(example, registry)).as("FULL checks the latest other version only").isEmpty();

        assertThat(UpgradeCheck.problems(catalog("FULL_TRANSITIVE"), registry)).isNotEmpty()
                .allSatisfy(p -> assertThat(p).startsWith("BillingDomain: message schema it sends io.ved.example.inventory.ReserveStock")
                        .contains(twoVersionsBack).endsWith("rule FULL_TRANSITIVE (old and new versions read each other's messages "
                                + "during a rolling upgrade, so at least FULL)"));
        register(InventoryState.getClassSchema(), """
                {"type": "record", "name": "InventoryState", "namespace": "io.ved.example.inventory", "fields": []}""");
        assertThat(UpgradeCheck.problems(catalog("NONE"), registry)).as("NONE keeps the state check").singleElement().asString()
                .startsWith("InventoryDomain: state schema");
    }

    private DomainCatalog catalog(String inventoryLevel) {
        String yaml = """
                application: upgrade-check
                deadLetterTopic: upgrade-check.deadletters
                replyTopic: upgrade-check.replies
                domains:
                  - {type: BillingDomain, topic: upgrade-check.billing}
                  - {type: InventoryDomain, topic: upgrade-check.inventory, compatibility: %s}
                """.formatted(inventoryLevel);
        return new DomainCatalog(TopologyFileReader.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test"),
                ExampleApp.domains());
    }

    private void register(Schema current, String older) {
        registry.register(current.getFullName(), new Schema.Parser().parse(older));
    }
}
