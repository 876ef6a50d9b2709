package io.ved.tooling.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void columnsAlignOnTheirWidestCellAndTheLastIsNotPadded() {
        String table = TextTable.render(List.of(
                new String[] {"ID", "DOMAIN", "ERROR"},
                new String[] {"0-17", "InventoryDomain", "out of stock"},
                new String[] {"1-2", "Billing", ""}), "  ");

        assertThat(table).isEqualTo("""
                  ID    DOMAIN           ERROR
                  0-17  InventoryDomain  out of stock
                  1-2   Billing
                """);
    }

    @Test
    void padNeverCuts() {
        assertThat(TextTable.pad("abc", 5)).isEqualTo("abc  ");
        assertThat(TextTable.pad("abcdef", 3)).isEqualTo("abcdef");
    }
}
