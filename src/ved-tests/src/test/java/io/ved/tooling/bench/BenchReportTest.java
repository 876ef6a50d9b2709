package io.ved.tooling.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {

    private static BenchResult.Stats stats(double p50, double p99) {
        return new BenchResult.Stats(1000, p50, p50 * 2, p99, p99 * 2, p50);
    }

    private static BenchResult.Variant variant(String id, String name, double rate, double p99) {
        return new BenchResult.Variant(id, name, "what it does", new BenchResult.Throughput(100, 1000, 1.0, rate, 12.5, 40.0, List.of(rate, rate * 0.9, rate * 1.1)),
                List.of(new BenchResult.Throughput(10, 1000, 2.0, rate / 2, 20.0, 50.0, List.of())), List.of(new BenchResult.Latency(100, 500, 1000, stats(60, p99), stats(5, 20)),
                        new BenchResult.Latency(10, 500, 1000, stats(15, p99 / 4), null)));
    }

    static BenchResult sample() {
        return new BenchResult("quick", "2026-01-01T00:00:00Z", 150.0,
                new BenchResult.Machine(2, 24L << 30, "Some CPU", "Linux", "OpenJDK 25", "", "4.4.0", 0.5, 1.5, 0.02),
                Map.of("messages", 1000),
                List.of(variant("a", "raw broker", 50_000, 120), variant("b", "bare Kafka Streams", 10_000, 150),
                        variant("c", "Ved", 8_500, 210), variant("d", "Ved + one send", 7_000, 260)),
                new BenchResult.Ratios(0.85, 0.7, 0.2, Map.of("100", 1.4, "10", 1.4), Map.of("100", 1.73, "10", 1.73)),
                new BenchResult.Scale(10_000, 2.0, 5L << 20, 3L << 20, 50L << 20, 60L << 20, 58L << 20, 1.5, 2.5, 10_000,
                        Map.of("block-cache-usage", 1024.0)),
                new BenchResult.Recovery(200, 3.0, 12.0, 12.5, 15.0, "kill -9, replacement on the same state dir"),
                List.of(new BenchResult.Failover("static, 1 standby, restarted at once", 200, 1.5, 2.5)),
                List.of(new BenchResult.ScaleOut(1, 1, 20_000, 4.0, 5_000, 1.0), new BenchResult.ScaleOut(2, 1, 20_000, 2.5, 8_000, 1.6)),
                List.of("Quick mode: indicative only."));
    }

    @Test
    void theJsonIsTheSourceOfTheTablesAndTheChart(@TempDir Path out) throws Exception {
        BenchResult result = sample();
        BenchReport.write(result, out);

        BenchResult read = BenchReport.read(out.resolve(BenchReport.JSON));
        assertThat(read).usingRecursiveComparison().ignoringFields("settings").isEqualTo(result);
        assertThat(Files.readString(out.resolve(BenchReport.JSON))).contains("\"messages_per_second\"", "\"c_over_b\"");

        String md = Files.readString(out.resolve(BenchReport.MARKDOWN));
        assertThat(md).contains("| (c) Ved | 8,500 | 0.85× | 12.5 |", "60 / 120 / 210", "c/b = 0.85",
                "| scale: 10,000 domain instances |", "| first committed effect seen (processing resumed) | 12.5 |",
                "| static, 1 standby, restarted at once | 1.5 s | 2.5 s |",
                "| 2 instances x 1 stream thread | 8,000 | 1.60 |",
                "> Quick mode: indicative only.", "other processes used 2.0% of the CPU during the run",
                "Throughput of each counted round (msgs/s): (a) 50,000 / 45,000 / 55,000; (b) 10,000 / 9,000 / 11,000; (c) 8,500",
                "c/b by round: 0.85 / 0.85 / 0.85.");
        assertThat(Files.readString(out.resolve(BenchReport.CHART))).startsWith("<svg").contains("(d) Ved + one send", "7,000");
        assertThat(BenchReport.table(read)).contains("(b) bare Kafka Streams", "10,000", "0.85x");
    }

    @Test
    void aDocumentGetsTheTablesBetweenItsMarkersAndTheChartBesideIt(@TempDir Path docs) throws Exception {
        Path doc = docs.resolve("BENCHMARKS.md");
        Files.writeString(doc, "# Benchmarks\n\nintro\n\n" + BenchReport.DOC_BEGIN + "\nold table\n" + BenchReport.DOC_END
                + "\n\n## What the figures say\n");

        BenchReport.updateDoc(sample(), doc);
        BenchReport.updateDoc(sample(), doc);

        String text = Files.readString(doc);
        assertThat(text).startsWith("# Benchmarks\n\nintro\n\n" + BenchReport.DOC_BEGIN).doesNotContain("old table")
                .contains("| (c) Ved | 8,500 |", "![benchmark chart](bench/chart.svg)")
                .endsWith(BenchReport.DOC_END + "\n\n## What the figures say\n");
        assertThat(text.indexOf(BenchReport.DOC_BEGIN)).isEqualTo(text.lastIndexOf(BenchReport.DOC_BEGIN));
        assertThat(docs.resolve("bench/chart.svg")).exists();
        assertThat(BenchReport.read(docs.resolve("bench/results.json")).mode()).isEqualTo("quick");
    }

    @Test
    void aDocumentWithoutMarkersIsRefused(@TempDir Path docs) throws Exception {
        Path doc = docs.resolve("BENCHMARKS.md");
        Files.writeString(doc, "# Benchmarks\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BenchReport.updateDoc(sample(), doc))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(BenchReport.DOC_BEGIN);
    }
}
