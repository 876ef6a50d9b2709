package io.ved.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The backpressure options of ved send are checked before anything connects. */
class SendBackpressureOptionsTest {
    private static final String MESSAGE = "InventoryDomain[88] ReleaseStock(item_id: \"A12\", qty: 1)";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--on-full=wait|--on-full, --max-wait and --per-partition go with --high-water N",
            "--per-partition|--on-full, --max-wait and --per-partition go with --high-water N",
            "--high-water=-1|--high-water must be 0 or more, not -1",
            "--high-water=10 --on-full=sometimes|--on-full takes refuse or wait, not 'sometimes'",
            "--high-water=10 --max-wait=5s|--max-wait goes with --on-full wait",
            "--high-water=10 --on-full=wait --max-wait=soon|--max-wait 'soon' is not a duration such as 30s, 500ms or 2m"})
    void aBadBackpressureOptionIsOneLineAndExitCode2(String options, String expected) {
        String[] opts = options.split(" ");
        String[] args = new String[opts.length + 4];
        args[0] = "send";
        args[1] = "--bootstrap";
        args[2] = "127.0.0.1:1";
        System.arraycopy(opts, 0, args, 3, opts.length);
        args[args.length - 1] = MESSAGE;
        CliErrorsTest.Result result = CliErrorsTest.run(args);
        assertThat(result.exit()).isEqualTo(VedCli.USAGE_ERROR);
        assertThat(result.err().strip()).isEqualTo("ved: " + expected);
    }

    @ParameterizedTest
    @CsvSource({"30s,30000", "500ms,500", "1.5s,1500", "2m,120000", "1h,3600000", "PT2S,2000", "7,7000"})
    void durations(String text, long millis) {
        assertThat(SendCommand.duration(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @org.junit.jupiter.api.Test
    void aBadDurationIsAUserError() {
        assertThatThrownBy(() -> SendCommand.duration("P")).isInstanceOf(UserError.class);
    }
}
