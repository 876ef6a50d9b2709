package io.ved.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ved.cli.VedCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ved replay against what the example application left on a real broker: same code matches, changed code is caught. */
class ReplayIT {
    private static final int DIVERGED = 3;
    private static OrderScenario scenario;

    @TempDir
    Path dir;

    @BeforeAll
    static void runTheOrders() throws Exception {
        scenario = OrderScenario.get();
    }

    @Test
    void theSameCodeReproducesEveryStateOfAnInstance() {
        CliRun run = CliRun.of(scenario.args("replay", "InventoryDomain[A12]"));

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out())
                .containsPattern("Replaying InventoryDomain\\[A12] from \\S+\\.inventory\\.inbox partition \\d, offsets \\d+ to \\d+")
                .contains("#1  offset " + scenario.restockA12.offset())
                .contains("Restock  from /orders-it", "message {\"item_id\":\"A12\",\"qty\":10}", "state   on_hand: 0 -> 10")
                .contains("ReserveStock  from BillingDomain[acme]", "on_hand: 10 -> 7", "reservations.o-1: (none) -> 3",
                        "sends   StockReserved -> BillingDomain[acme] {\"order_id\":\"o-1\",\"item_id\":\"A12\",\"qty\":3}")
                .contains("ReleaseStock  from BillingDomain[acme]", "on_hand: 7 -> 10", "reservations.o-1: 3 -> (none)")
                .contains("live    handled, same state")
                .contains("Replayed 3 message(s) of InventoryDomain[A12]: 3 handled, 0 would fail.")
                .contains("The replay matches the live state (3 message(s) checked");
    }

    @Test
    void aMessageThatFailsInReplayIsShownWithItsDeadLetter() {
        CliRun run = CliRun.of(scenario.args("replay", "BillingDomain[acme]"));

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out())
                .containsPattern("(?m)^#\\d  offset " + scenario.failed.offset() + "  .*PlaceOrder  from /orders-it$")
                .contains("WOULD FAIL HANDLER_FAILED: java.lang.IllegalArgumentException: a domain id must not contain '[' or ']': A[12")
                .contains("live    dead-lettered: HANDLER_FAILED after 3 attempt(s)")
                .contains("invoices.o-1.status: \"PENDING\" -> \"CONFIRMED\"")
                .contains("invoices.o-1.status: \"CONFIRMED\" -> \"CANCELLED\"")
                .contains("sends   ReleaseStock -> InventoryDomain[A12]")
                .contains("1 would fail")
                .contains("The replay matches the live state");
    }

    @Test
    void aCodeChangeIsReportedAtTheFirstMessageWhereItDiverges() {
        CliRun run = CliRun.of(scenario.args("replay", "InventoryDomain[A12]", "--domains", ChangedInventoryApp.class.getName()));

        assertThat(run.exit()).as(run.toString()).isEqualTo(DIVERGED);
        assertThat(run.out())
                .contains(">>> DIVERGES: the state differs from the one live stored")
                .contains("on_hand: 20 (replay) vs 10 (live)")
                .contains("The replay DIFFERS from the live state: nondeterminism or a code change.")
                .contains("First divergence: #1, offset " + scenario.restockA12.offset() + ", Restock (message " + scenario.restockA12.id() + ")")
                .contains("on_hand: 20 (replay) vs 10 (live)");
    }

    @Test
    void aRangeReplaysPartOfTheMailboxFromAGivenState() throws Exception {
        List<Long> offsets = offsets(CliRun.of(scenario.args("replay", "InventoryDomain[A12]")).out());
        assertThat(offsets).hasSize(3);
        Path state = dir.resolve("state.json");
        Files.writeString(state, "{\"item_id\": \"A12\", \"on_hand\": 10}");

        CliRun run = CliRun.of(scenario.args("replay", "InventoryDomain[A12]", "--from", offsets.get(1).toString(),
                "--to", offsets.get(1).toString(), "--state", state.toString()));

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(offsets(run.out())).containsExactly(offsets.get(1));
        assertThat(run.out()).contains("starting from the given state").contains("on_hand: 10 -> 7").contains("The replay matches the live state");

        CliRun fromEmpty = CliRun.of(scenario.args("replay", "InventoryDomain[A12]", "--from", offsets.get(1).toString()));
        assertThat(fromEmpty.exit()).as(fromEmpty.toString()).isEqualTo(DIVERGED);
        assertThat(fromEmpty.out()).contains("live had handled 1 earlier message(s) of this instance before offset " + offsets.get(1));

        CliRun byTime = CliRun.of(scenario.args("replay", "InventoryDomain[A12]", "--from", "2000-01-01", "--to", "2999-01-01T00:00:00Z"));
        assertThat(byTime.exit()).as(byTime.toString()).isZero();
        assertThat(offsets(byTime.out())).isEqualTo(offsets);

        CliRun future = CliRun.of(scenario.args("replay", "InventoryDomain[A12]", "--from", "2999-01-01T00:00:00Z"));
        assertThat(future.exit()).isEqualTo(VedCli.USAGE_ERROR);
        assertThat(future.err()).contains("has no message in").contains("(it has 3 elsewhere in the partition)");
    }

    @Test
    void everyInstanceOfATypeWithProgressAndSummary() {
        CliRun same = CliRun.of(scenario.args("replay", "InventoryDomain", "--all"));
        assertThat(same.exit()).as(same.toString()).isZero();
        assertThat(same.out()).contains("Replaying every InventoryDomain from ")
                .containsPattern("100% \\[#{30}] 5 of 5 messages, 2 instance\\(s\\), 0 diverging")
                .contains("Replayed every InventoryDomain: 2 instance(s), 5 message(s) (0 would fail), 0 diverging instance(s).");

        CliRun billing = CliRun.of(scenario.args("replay", "BillingDomain", "--all"));
        assertThat(billing.exit()).as(billing.toString()).isZero();
        assertThat(billing.out()).contains("2 instance(s)", "(1 would fail), 0 diverging");

        CliRun changed = CliRun.of(scenario.args("replay", "InventoryDomain", "--all", "--domains", ChangedInventoryApp.class.getName()));
        assertThat(changed.exit()).as(changed.toString()).isEqualTo(DIVERGED);
        assertThat(changed.out()).contains("2 diverging instance(s)")
                .contains("InventoryDomain[A12]: first divergence at offset " + scenario.restockA12.offset() + " (Restock)")
                .contains("InventoryDomain[B7]: first divergence at offset " + scenario.restockB7.offset() + " (Restock)");
    }

    @Test
    void mistakesAreOneLineAndExitCode2() throws Exception {
        CliRun unknown = CliRun.of(scenario.args("replay", "InventoryDomain[nope]"));
        assertThat(unknown.exit()).isEqualTo(VedCli.USAGE_ERROR);
        assertThat(unknown.err()).startsWith("ved: InventoryDomain[nope] has no message in ").contains("is the id right?");

        CliRun type = CliRun.of(scenario.args("replay", "WarehouseDomain[1]"));
        assertThat(type.exit()).isEqualTo(VedCli.USAGE_ERROR);
        assertThat(type.err()).contains("unknown domain type WarehouseDomain");

        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"item_id\": \"A12\", \"on_hnad\": 3}");
        CliRun state = CliRun.of(scenario.args("replay", "InventoryDomain[A12]", "--state", bad.toString()));
        assertThat(state.exit()).isEqualTo(VedCli.USAGE_ERROR);
        assertThat(state.err()).contains("is not a InventoryState").contains("no field 'on_hnad'");

        CliRun time = CliRun.of(scenario.args("replay", "InventoryDomain[A12]", "--from", "yesterday"));
        assertThat(time.exit()).isEqualTo(VedCli.USAGE_ERROR);
        assertThat(time.err()).contains("--from 'yesterday' is neither an offset nor a time");
    }

    private static List<Long> offsets(String out) {
        Matcher m = Pattern.compile("(?m)^#\\d+  offset (\\d+)").matcher(out);
        return m.results().map(r -> Long.parseLong(r.group(1))).toList();
    }
}
