package io.ved.tooling.bench;

import java.util.List;
import java.util.Locale;

/** A hand-written SVG chart of a {@link BenchResult}: throughput per variant, then latency percentiles. */
final class BenchChart {
    private static final int WIDTH = 960;
    private static final int LABEL = 300;
    private static final int BAR_MAX = WIDTH - LABEL - 130;
    private static final String[] PERCENTILE_COLOURS = {"#4C78A8", "#F58518", "#E45756"};
    private static final String THROUGHPUT_COLOUR = "#54A24B";

    private BenchChart() {
    }

    static String svg(BenchResult r) {
        StringBuilder body = new StringBuilder();
        int y = 30;
        body.append(text(20, y, String.format(Locale.ROOT, "ved bench (%s mode, %s): %d cores, %s", r.mode(), r.startedAt(),
                r.machine().cores(), r.machine().jdk()), 15, "bold"));
        y += 30;
        List<BenchResult.Variant> withThroughput = r.variants().stream().filter(v -> v.throughput() != null).toList();
        if (!withThroughput.isEmpty()) {
            body.append(text(20, y, "Throughput (messages/s; commit.interval.ms 100; higher is better)", 13, "bold"));
            y += 14;
            double max = withThroughput.stream().mapToDouble(v -> v.throughput().messagesPerSecond()).max().orElse(1);
            for (BenchResult.Variant v : withThroughput) {
                double value = v.throughput().messagesPerSecond();
                int w = (int) Math.max(1, Math.round(BAR_MAX * value / max));
                body.append(text(20, y + 15, "(" + v.id() + ") " + v.name(), 12, "normal"));
                body.append(rect(LABEL, y + 3, w, 16, THROUGHPUT_COLOUR));
                body.append(text(LABEL + w + 6, y + 15, String.format(Locale.ROOT, "%,.0f", value), 12, "normal"));
                y += 22;
            }
            y += 20;
        }
        List<Integer> intervals = BenchReport.intervals(r);
        if (!intervals.isEmpty()) {
            double offered = r.variants().stream().filter(v -> v.latency() != null && !v.latency().isEmpty())
                    .findFirst().map(v -> v.latency().getFirst().offeredPerSecond()).orElse(0.0);
            body.append(text(20, y, String.format(Locale.ROOT, "End-to-end latency, send -> committed effect seen (ms; "
                    + "%,.0f msgs/s offered; lower is better)", offered), 13, "bold"));
            y += 8;
            String[] names = {"p50", "p95", "p99"};
            for (int i = 0; i < names.length; i++) {
                body.append(rect(LABEL + i * 80, y + 4, 12, 12, PERCENTILE_COLOURS[i]));
                body.append(text(LABEL + i * 80 + 16, y + 15, names[i], 12, "normal"));
            }
            y += 24;
            double max = r.variants().stream().filter(v -> v.latency() != null)
                    .flatMap(v -> v.latency().stream()).mapToDouble(l -> l.endToEnd().p99()).max().orElse(1);
            max = Math.max(max, 1);
            for (int interval : intervals) {
                body.append(text(20, y + 12, "commit.interval.ms " + interval, 12, "bold"));
                y += 18;
                for (BenchResult.Variant v : r.variants()) {
                    BenchResult.Latency l = v.latencyAt(interval);
                    if (l == null) {
                        continue;
                    }
                    double[] values = {l.endToEnd().p50(), l.endToEnd().p95(), l.endToEnd().p99()};
                    body.append(text(20, y + 17, "(" + v.id() + ") " + v.name(), 12, "normal"));
                    for (int i = 0; i < values.length; i++) {
                        int w = (int) Math.max(1, Math.round(BAR_MAX * values[i] / max));
                        body.append(rect(LABEL, y + 2 + i * 7, w, 6, PERCENTILE_COLOURS[i]));
                    }
                    int w99 = (int) Math.max(1, Math.round(BAR_MAX * values[2] / max));
                    body.append(text(LABEL + w99 + 6, y + 17, String.format(Locale.ROOT, "%.0f / %.0f / %.0f", values[0],
                            values[1], values[2]), 11, "normal"));
                    y += 26;
                }
                y += 8;
            }
        }
        if (r.ratios() != null) {
            y += 6;
            body.append(text(20, y, String.format(Locale.ROOT, "c/b %s · d/b %s · b/a %s (throughput)%s", fmt(r.ratios().cOverB()),
                    fmt(r.ratios().dOverB()), fmt(r.ratios().bOverA()), r.ratios().p99COverB() == null
                            || r.ratios().p99COverB().values().stream().allMatch(java.util.Objects::isNull) ? ""
                            : ";  p99 c/b " + r.ratios().p99COverB() + " (by commit interval)"), 12, "normal"));
            y += 10;
        }
        y += 20;
        return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"Helvetica, Arial, sans-serif\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n%s</svg>%n",
                WIDTH, y, WIDTH, y, body);
    }

    private static String fmt(Double d) {
        return d == null ? "n/a" : String.format(Locale.ROOT, "%.2f", d);
    }

    private static String rect(int x, int y, int w, int h, String fill) {
        return String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n", x, y, w, h, fill);
    }

    private static String text(int x, int y, String s, int size, String weight) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" font-weight=\"%s\">%s</text>%n", x, y, size,
                weight, escape(s));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
