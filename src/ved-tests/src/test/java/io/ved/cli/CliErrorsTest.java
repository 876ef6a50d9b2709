package io.ved.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A CLI given a bad argument says what is wrong in one line, exits with 2, and shows no stack trace. */
class CliErrorsTest {

    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = VedCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** A refusal as every command gives one: exit code 2, one line on stderr starting "ved: ", no stack trace. */
    static void assertRefused(Result result, String expected) {
        assertThat(result.exit()).isEqualTo(VedCli.USAGE_ERROR);
        assertThat(result.err()).startsWith("ved: ").contains(expected).doesNotContain("\tat ");
        assertThat(result.err().strip().lines()).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "WarehouseDomain[88] ReleaseStock(item_id: \"A12\", qty: 1)|unknown domain type WarehouseDomain",
            "InventoryDomain[88] PlaceOrder(order_id: \"o\", item_id: \"A12\", qty: 1)|InventoryDomain does not accept PlaceOrder",
            "InventoryDomain[88] ReleaseStock(item_id: \"A12\", qtty: 1)|ReleaseStock has no field 'qtty'",
            "InventoryDomain[88] ReleaseStock(item_id: \"A12\", qty: \"one\")|field 'qty' of ReleaseStock is an int",
            "InventoryDomain[88] ReleaseStock(item_id: \"A12\")|ReleaseStock needs field 'qty'",
            "InventoryDomain(88) ReleaseStock(item_id: \"A12\", qty: 1)|expected '[' right after domain type 'InventoryDomain'"})
    void aBadSendIsRefusedBeforeAnythingConnects(String text, String expected) {
        Result result = run("send", "--bootstrap", "127.0.0.1:1", text);
        assertThat(result.exit()).isEqualTo(VedCli.USAGE_ERROR);
        assertThat(result.err()).startsWith("ved: ").contains(expected).doesNotContain("\tat ");
        assertThat(result.err().strip().lines()).hasSize(1);
    }

    @Test
    void anUnknownOptionNamesItAndPointsToHelp() {
        Result result = run("send", "--frobnicate", "x");
        assertThat(result.exit()).isEqualTo(VedCli.USAGE_ERROR);
        assertThat(result.err()).contains("Unknown option: '--frobnicate'").contains("ved send --help");
    }

    @Test
    void aMissingTopologyFileIsNamed() {
        Result result = run("send", "--topology", "/nowhere/topology.yaml", "InventoryDomain[1] Restock(item_id: \"x\", qty: 1)");
        assertThat(result.exit()).isEqualTo(VedCli.USAGE_ERROR);
        assertThat(result.err()).contains("topology file /nowhere/topology.yaml does not exist");
    }

    @Test
    void anUnknownDomainsClassIsNamed() {
        Result result = run("send", "--domains", "com.acme.Missing", "InventoryDomain[1] Restock(item_id: \"x\", qty: 1)");
        assertThat(result.exit()).isEqualTo(VedCli.USAGE_ERROR);
        assertThat(result.err()).contains("class com.acme.Missing is not on the classpath");
    }

    @Test
    void jsonNeedsThreeArguments() {
        Result result = run("send", "--json", "InventoryDomain[1]", "{}");
        assertThat(result.exit()).isEqualTo(VedCli.USAGE_ERROR);
        assertThat(result.err()).contains("--json takes three arguments");
    }

    @Test
    void downWithoutAStackSaysThereIsNothingToStop() {
        String home = System.getProperty("ved.home");
        System.setProperty("ved.home", System.getProperty("java.io.tmpdir") + "/ved-cli-test-" + ProcessHandle.current().pid());
        try {
            Result result = run("down");
            assertThat(result.exit()).isEqualTo(VedCli.USAGE_ERROR);
            assertThat(result.err()).contains("no stack is up");
        } finally {
            if (home == null) {
                System.clearProperty("ved.home");
            } else {
                System.setProperty("ved.home", home);
            }
        }
    }

    @Test
    void upRefusesAClusterSizeItCannotRun() {
        assertRefused(run("up", "--brokers", "0"), "--brokers 0 is not a cluster size this machine can run: give 1 to 9");
    }
}
