package io.ved.runtime;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ved.api.DomainType;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFileException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InboxPartitionCheckTest {
    private static final DomainTopic ORDERS = new DomainTopic(new DomainType("OrderDomain"), "orders.inbox", 12, (short) 1, -1);
    private static final DomainTopic STOCK = new DomainTopic(new DomainType("StockDomain"), "stock.inbox", 6, (short) 1, -1);

    @Test
    void anInboxWhosePartitionCountChangedIsRefusedWithBothCountsAndTheWayOut() {
        assertThatThrownBy(() -> InboxPartitionCheck.require(List.of(ORDERS, STOCK), Map.of("orders.inbox", 6, "stock.inbox", 6)))
                .isInstanceOf(TopologyFileException.class)
                .hasMessageStartingWith("OrderDomain: inbox orders.inbox has 6 partitions, the topology file says 12")
                .hasMessageContaining("Keep 'partitions: 6'")
                .hasMessageContaining("'ved state export' and 'ved state import'")
                .hasMessageNotContaining("StockDomain");
    }

    @Test
    void fewerPartitionsInTheFileAreRefusedToo() {
        assertThatThrownBy(() -> InboxPartitionCheck.require(List.of(STOCK), Map.of("stock.inbox", 8)))
                .hasMessageStartingWith("StockDomain: inbox stock.inbox has 8 partitions, the topology file says 6");
    }

    @Test
    void matchingAndNotYetCreatedInboxesPass() {
        assertThatCode(() -> InboxPartitionCheck.require(List.of(ORDERS, STOCK), Map.of("stock.inbox", 6))).doesNotThrowAnyException();
    }
}
