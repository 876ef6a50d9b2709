package io.ved.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ved.tooling.bench.Bench;
import io.ved.tooling.bench.BenchReport;
import io.ved.tooling.bench.BenchResult;
import io.ved.tooling.bench.BenchSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ved bench --quick} with tiny numbers on the shared test stack: every part runs and writes its results.
 * It checks that the benchmark works, never how fast anything is.
 */
class BenchQuickIT {

    @Test
    void quickBenchmarkMeasuresEveryVariantAndWritesItsReport(@TempDir Path out) throws Exception {
        RealStack stack = RealStack.get();
        BenchSettings tiny = BenchSettings.quick().toBuilder().messages(2_000).warmupMessages(500).keys(100)
                .latencyWarmupSeconds(1).latencySeconds(2).scaleInstances(500).recoveryRate(50).build();
        StringWriter progress = new StringWriter();

        BenchResult result = Bench.run(tiny, out, new PrintWriter(progress, true),
                Optional.of(new String[] {stack.bootstrap(), stack.registryUrl()}), null);

        assertThat(out.resolve(BenchReport.JSON)).exists();
        assertThat(out.resolve(BenchReport.MARKDOWN)).exists();
        assertThat(Files.readString(out.resolve(BenchReport.CHART))).startsWith("<svg");
        BenchResult written = BenchReport.read(out.resolve(BenchReport.JSON));
        assertThat(written.variants()).extracting(BenchResult.Variant::id).containsExactly("a", "b", "c", "d");
        assertThat(written.variants()).allSatisfy(v -> {
            assertThat(v.throughput().messagesPerSecond()).as("throughput of (%s)", v.id()).isPositive();
            assertThat(v.latency()).as("latency runs of (%s)", v.id()).hasSize(2)
                    .allSatisfy(l -> assertThat(l.endToEnd().samples()).isPositive());
        });
        assertThat(written.ratios().cOverB()).isNotNull();
        assertThat(written.scale().instances()).isEqualTo(500);
        assertThat(written.scale().restoredRecords()).isPositive();
        assertThat(written.recovery().resumedSeconds()).isPositive();
        assertThat(result.totalSeconds()).isPositive();
        assertThat(progress.toString()).contains("(a) raw broker", "(d) Ved + one send", "Recovery");
    }
}
