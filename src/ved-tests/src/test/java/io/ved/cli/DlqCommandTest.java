package io.ved.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ved dlq refuses a bad request in one line with exit code 2, before it connects to anything. */
class DlqCommandTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "redrive|name the dead letters to redrive",
            "redrive 0-1 --all|give dead letter ids or --all, not both",
            "redrive 0-1 --domain InventoryDomain|--domain goes with --all",
            "redrive 0:1|'0:1' is not a dead-letter id: ids are PARTITION-OFFSET, such as 0-17",
            "redrive --all --domain WarehouseDomain|unknown domain type WarehouseDomain: topology 'ved-example' has [BillingDomain, InventoryDomain]",
            "list --domain WarehouseDomain|unknown domain type WarehouseDomain",
            "list --limit -1|--limit must be 0 (all) or more"})
    void aBadRequestIsRefusedBeforeAnythingConnects(String args, String expected) {
        String[] words = ("dlq " + args + " --bootstrap 127.0.0.1:1").split(" ");

        CliErrorsTest.assertRefused(CliErrorsTest.run(words), expected);
    }
}
