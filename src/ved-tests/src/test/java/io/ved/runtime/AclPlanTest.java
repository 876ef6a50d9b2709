package io.ved.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ved.example.ExampleApp;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The least-privilege ACLs of an application follow from its topology and its domains' declared sends. */
class AclPlanTest {
    private final TopologyFile example = TopologyFileReader.readResource(ExampleApp.TOPOLOGY);

    @Test
    void theExampleGetsItsInboxesItsPrefixAndNothingElse() {
        List<String> acls = AclPlan.forApplication(example, ExampleApp.domains(), "User:orders", "*").stream()
                .map(AclPlan::describe).toList();
        String app = example.application();
        String inventory = example.require(io.ved.example.InventoryDomain.TYPE).topic();
        assertThat(acls).contains(
                "ALLOW User:orders READ TOPIC " + inventory + " (LITERAL) from *",
                "ALLOW User:orders WRITE TOPIC " + inventory + " (LITERAL) from *",
                "ALLOW User:orders CREATE TOPIC " + app + " (PREFIXED) from *",
                "ALLOW User:orders READ GROUP " + app + " (PREFIXED) from *",
                "ALLOW User:orders WRITE TRANSACTIONAL_ID " + app + " (PREFIXED) from *",
                "ALLOW User:orders IDEMPOTENT_WRITE CLUSTER kafka-cluster (LITERAL) from *");
        assertThat(acls).doesNotHaveDuplicates().isSorted()
                .noneMatch(a -> a.contains(" ALL ")).noneMatch(a -> a.contains("ALTER"))
                .allMatch(a -> a.contains(" (LITERAL) ") || a.contains(" " + app + " (PREFIXED) "));
    }

    @Test
    void onlyTheInboxesADomainSendsToAreWritableAndOnlyItsOwnAreReadable() {
        // the inventory alone: it sends nowhere, so the billing inbox is neither read nor written
        List<String> acls = AclPlan.forApplication(example, List.of(io.ved.example.InventoryDomain.definition()), "User:inv", "10.0.0.1")
                .stream().map(AclPlan::describe).toList();
        String billing = example.require(io.ved.example.BillingDomain.TYPE).topic();
        assertThat(acls).noneMatch(a -> a.contains(" " + billing + " ")).allMatch(a -> a.endsWith(" from 10.0.0.1"));

        List<String> billingOnly = AclPlan.forApplication(example, List.of(io.ved.example.BillingDomain.definition()), "User:b", "*")
                .stream().map(AclPlan::describe).toList();
        String inventory = example.require(io.ved.example.InventoryDomain.TYPE).topic();
        assertThat(billingOnly).contains("ALLOW User:b WRITE TOPIC " + inventory + " (LITERAL) from *")
                .doesNotContain("ALLOW User:b READ TOPIC " + inventory + " (LITERAL) from *");
    }

    @Test
    void aPrincipalThatIsNotTypeAndNameIsRefusedWithAnExample() {
        assertThatThrownBy(() -> AclPlan.forApplication(example, ExampleApp.domains(), "orders-app", "*"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not Type:name: use e.g. User:orders-app");
    }
}
