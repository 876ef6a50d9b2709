package io.ved.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ved.api.DomainDefinition;
import io.ved.api.DomainType;
import io.ved.runtime.topology.SchemaCompatibility;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileException;
import io.ved.runtime.topology.TopologyFileReader;
import io.ved.testdomains.Append;
import io.ved.testdomains.LedgerDomain;
import io.ved.testdomains.LedgerState;
import io.ved.testdomains.Unwanted;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Wiring mistakes are refused when the topology is built, naming both sides. */
class DomainCatalogTest {
    private static final TopologyFile FILE = TopologyFileReader.readResource("topology/ledger.yaml");

    @Test
    void aSendToAnUnknownDomainTypeIsRefused() {
        DomainDefinition<LedgerState> sender = base(LedgerDomain.LEDGER).sends(DomainType.named("WarehouseDomain"), Append.class).build();
        assertThatThrownBy(() -> new DomainCatalog(FILE, List.of(sender)))
                .isInstanceOf(TopologyFileException.class)
                .hasMessageContaining("LedgerDomain sends Append to WarehouseDomain, which is not a domain type of the topology file");
    }

    @Test
    void aSendOfAMessageTheTargetDoesNotAcceptIsRefused() {
        DomainDefinition<LedgerState> sender = base(LedgerDomain.LEDGER).sends(LedgerDomain.AUDIT, Unwanted.class).build();
        assertThatThrownBy(() -> new DomainCatalog(FILE, List.of(sender, LedgerDomain.audit())))
                .isInstanceOf(TopologyFileException.class)
                .hasMessageContaining("LedgerDomain sends Unwanted to AuditDomain, which does not accept it (AuditDomain accepts Append)");
    }

    @Test
    void aDomainWithoutInboxIsRefused() {
        DomainDefinition<LedgerState> orphan = base(DomainType.named("OrphanDomain")).build();
        assertThatThrownBy(() -> new DomainCatalog(FILE, List.of(orphan)))
                .hasMessageContaining("OrphanDomain is registered but has no inbox in the topology file");
    }

    @Test
    void theSameDomainTypeRegisteredTwiceIsRefused() {
        assertThatThrownBy(() -> new DomainCatalog(FILE, List.of(LedgerDomain.ledger(), LedgerDomain.ledger())))
                .hasMessageContaining("LedgerDomain is registered twice");
    }

    @Test
    void theCompatibilityLevelOfADomainTypeCoversItsMessagesAndItsState() {
        TopologyFile file = yaml("""
                application: compat-test
                defaults: {compatibility: backward}
                domains:
                  - {type: LedgerDomain, topic: ledger.inbox, compatibility: FULL_TRANSITIVE}
                  - {type: AuditDomain, topic: audit.inbox}
                """);
        assertThat(new DomainCatalog(file, List.of(LedgerDomain.ledger())).compatibilityBySubject()).isEqualTo(Map.of(
                "io.ved.testdomains.Append", SchemaCompatibility.FULL_TRANSITIVE,
                "io.ved.testdomains.LedgerState", SchemaCompatibility.FULL_TRANSITIVE));
        assertThat(new DomainCatalog(file, List.of(LedgerDomain.audit())).compatibilityBySubject())
                .as("the default level").containsEntry("io.ved.testdomains.Append", SchemaCompatibility.BACKWARD);
        assertThat(new DomainCatalog(FILE, List.of(LedgerDomain.ledger())).compatibilityBySubject())
                .as("no level set: the registry's own default").isEmpty();
    }

    @Test
    void twoDomainTypesAskingDifferentLevelsForOneSchemaAreRefused() {
        TopologyFile file = yaml("""
                application: compat-test
                domains:
                  - {type: LedgerDomain, topic: ledger.inbox, compatibility: FULL}
                  - {type: AuditDomain, topic: audit.inbox, compatibility: NONE}
                """);
        assertThatThrownBy(() -> new DomainCatalog(file, List.of(LedgerDomain.ledger(), LedgerDomain.audit())))
                .isInstanceOf(TopologyFileException.class)
                .hasMessageContaining("io.ved.testdomains.Append is a schema of LedgerDomain (compatibility FULL) and of "
                        + "AuditDomain (compatibility NONE): give both types the same level");
    }

    @Test
    void anUnknownCompatibilityLevelIsRefusedWithTheLevelsThereAre() {
        assertThatThrownBy(() -> yaml("""
                application: compat-test
                domains:
                  - {type: LedgerDomain, topic: ledger.inbox, compatibility: SIDEWAYS}
                """))
                .isInstanceOf(TopologyFileException.class)
                .hasMessageContaining("compatibility 'SIDEWAYS' is not a level; use one of BACKWARD, BACKWARD_TRANSITIVE, "
                        + "FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE, NONE");
    }

    private static TopologyFile yaml(String text) {
        return TopologyFileReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    private static DomainDefinition.Builder<LedgerState> base(DomainType type) {
        return DomainDefinition.of(type, LedgerState.class)
                .initialState(id -> new LedgerState(List.of()))
                .on(Append.class, (s, m, c) -> s);
    }
}
