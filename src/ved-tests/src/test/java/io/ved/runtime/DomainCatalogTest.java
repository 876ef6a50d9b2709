package io.ved.runtime;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ved.api.DomainDefinition;
import io.ved.api.DomainType;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileException;
import io.ved.runtime.topology.TopologyFileReader;
import io.ved.testdomains.Append;
import io.ved.testdomains.LedgerDomain;
import io.ved.testdomains.LedgerState;
import io.ved.testdomains.Unwanted;
import java.util.List;
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

    private static DomainDefinition.Builder<LedgerState> base(DomainType type) {
        return DomainDefinition.of(type, LedgerState.class)
                .initialState(id -> new LedgerState(List.of()))
                .on(Append.class, (s, m, c) -> s);
    }
}
