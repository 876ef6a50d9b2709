package io.ved.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ved.tooling.bench.BenchSettings;
import io.ved.tooling.bench.BenchSettings.Part;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The options of 'ved bench' change only what they name; the rest is the quick or full mode's. */
class BenchCommandTest {

    private static BenchSettings settings(String... args) {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs(args);
        return command.settings();
    }

    @Test
    void withoutOptionsTheFullModeRuns() {
        BenchSettings full = settings();
        assertThat(full.mode()).isEqualTo("full");
        assertThat(full.scaleInstances()).isEqualTo(1_000_000);
        assertThat(full.extras()).isTrue();
    }

    @Test
    void optionsOverrideTheQuickModeOneByOne() {
        BenchSettings s = settings("--quick", "--messages", "5000", "--keys", "50", "--commit-intervals", "100,20,5",
                "--latency-seconds", "7", "--parts", "throughput, Latency", "--no-extras");

        assertThat(s.mode()).isEqualTo("quick");
        assertThat(s.messages()).isEqualTo(5_000);
        assertThat(s.keys()).isEqualTo(50);
        assertThat(s.commitIntervals()).containsExactly(100, 20, 5);
        assertThat(s.latencySeconds()).isEqualTo(7);
        assertThat(s.parts()).containsExactlyInAnyOrder(Part.THROUGHPUT, Part.LATENCY);
        assertThat(s.extras()).isFalse();
        BenchSettings quick = BenchSettings.quick();
        assertThat(s.warmupMessages()).as("untouched").isEqualTo(quick.warmupMessages());
        assertThat(s.latencyWarmupSeconds()).isEqualTo(quick.latencyWarmupSeconds());
        assertThat(s.scaleInstances()).isEqualTo(quick.scaleInstances());
    }

    @Test
    void anUnknownPartOrAnImpossibleValueIsAUserError() {
        assertThatThrownBy(() -> settings("--parts", "speed"))
                .isInstanceOf(UserError.class)
                .hasMessage("unknown part 'speed': use throughput, latency, scale, recovery, failover or scaleout");
        assertThatThrownBy(() -> settings("--load-fraction", "1.5"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> settings("--keys", "0"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("must be positive");
    }
}
