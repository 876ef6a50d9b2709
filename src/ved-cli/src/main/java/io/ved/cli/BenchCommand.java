package io.ved.cli;

import io.ved.tooling.bench.Bench;
import io.ved.tooling.bench.BenchReport;
import io.ved.tooling.bench.BenchResult;
import io.ved.tooling.bench.BenchSettings;
import io.ved.tooling.stack.StackFile;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ved bench}: Ved against bare Kafka Streams and the raw broker, in one run on one broker. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "Measures, in this JVM on one Kafka broker it starts (plus a schema registry): (a) the raw broker",
        "(transactional producer -> read_committed consumer), (b) bare Kafka Streams (exactly-once, RocksDB,",
        "read-modify-write + one forward), (c) Ved doing the same work, (d) Ved with one send per message.",
        "Throughput (pre-produced messages, timed until committed) and end-to-end latency at a fixed load below",
        "saturation, at commit.interval.ms 100 and 10; then many domain instances (state size, heap, restore time)",
        "and recovery after kill -9 of a `ved run` process. Prints a table; writes results.json, results.md and",
        "chart.svg into --out. Run the full mode on an otherwise idle machine: other load distorts every figure.",
        "The JMH micro-benchmarks of the hot path are separate: mvn -Pbench -DskipTests package (see docs/BENCHMARKS.md)."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "small numbers, under 3 minutes: checks that everything runs (figures indicative only)")
    boolean quick;
    @Option(names = "--out", paramLabel = "DIR", description = "where to write results.json, results.md, chart.svg (default: target/bench)")
    Path out;
    @Option(names = "--render", paramLabel = "JSON", description = "only write results.md and chart.svg again from a results.json (into --out, default: beside it)")
    Path render;
    @Option(names = "--doc", paramLabel = "FILE", description = "also put the tables and the chart into this Markdown file "
            + "(e.g. docs/BENCHMARKS.md), between its 'ved bench results' marker lines")
    Path doc;
    @Option(names = "--messages", paramLabel = "N", description = "messages per throughput measurement (quick 20000, full 500000)")
    Integer messages;
    @Option(names = "--warmup", paramLabel = "N", description = "warm-up messages per variant (quick 10000, full 200000)")
    Integer warmup;
    @Option(names = "--rounds", paramLabel = "N", description = "throughput measurements per variant, in turns; the median counts (quick 1, full 3)")
    Integer rounds;
    @Option(names = "--keys", paramLabel = "N", description = "distinct keys / domain instances (quick 1000, full 10000)")
    Integer keys;
    @Option(names = "--partitions", paramLabel = "N", description = "partitions of every input topic (default 6)")
    Integer partitions;
    @Option(names = "--value-bytes", paramLabel = "N", description = "record value size (default 100)")
    Integer valueBytes;
    @Option(names = "--latency-seconds", paramLabel = "S", description = "measured seconds of each latency run (quick 4, full 30)")
    Integer latencySeconds;
    @Option(names = "--latency-warmup-seconds", paramLabel = "S", description = "seconds of load before latency is recorded (quick 2, full 10)")
    Integer latencyWarmupSeconds;
    @Option(names = "--load-fraction", paramLabel = "F", description = "offered load for latency as a fraction of the slowest of (b), (c), (d) (default 0.4)")
    Double loadFraction;
    @Option(names = "--rate", paramLabel = "MSGS/S", description = "offered load for latency in messages/s, instead of --load-fraction")
    Double rate;
    @Option(names = "--commit-intervals", paramLabel = "MS", split = ",", description = "commit.interval.ms values for latency (default 100,10)")
    int[] commitIntervals;
    @Option(names = "--instances", paramLabel = "N", description = "domain instances of the scale measurement (quick 10000, full 1000000)")
    Integer instances;
    @Option(names = "--recovery-rate", paramLabel = "MSGS/S", description = "load during the recovery measurement (quick 200, full 1000)")
    Integer recoveryRate;
    @Option(names = "--parts", paramLabel = "PART", split = ",",
            description = "what to measure, any of throughput,latency,scale,recovery,failover,scaleout (default: all but failover, "
                    + "which takes some 5 minutes: two `ved run` processes, one killed, five ways of running them, and scaleout: "
                    + "a 3-broker cluster, 1 to 3 `ved run` processes with 1 or 2 stream threads)")
    List<String> parts;
    @Option(names = "--extras", negatable = true, description = "also measure Ved with handlers on a separate thread (handlerThread: separate) and without tracing (default: on in full mode)")
    Boolean extras;
    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "use this running broker instead of starting one (needs --registry too)")
    String bootstrap;
    @Option(names = "--registry", paramLabel = "URL", description = "use this running schema registry instead of starting one")
    String registry;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (render != null) {
            if (!Files.isRegularFile(render)) {
                throw new UserError("no such results file: " + render);
            }
            Path target = this.out != null ? this.out : render.toAbsolutePath().getParent();
            BenchResult result = BenchReport.read(render);
            Files.createDirectories(target);
            BenchReport.render(result, target);
            out.print(BenchReport.table(result));
            out.println("Wrote " + target.resolve(BenchReport.MARKDOWN) + " and " + target.resolve(BenchReport.CHART));
            updateDoc(result, out);
            return 0;
        }
        if (doc != null && !Files.isRegularFile(doc)) {
            throw new UserError("no such document: " + doc);
        }
        if ((bootstrap == null) != (registry == null)) {
            throw new UserError("--bootstrap and --registry go together: give both, or neither to start a broker and a registry");
        }
        BenchSettings settings = settings();
        Path target = this.out != null ? this.out : StackFile.home().resolve("target/bench");
        Files.createDirectories(target);
        String logFile = "org.slf4j.simpleLogger.logFile";
        if (System.getProperty(logFile) == null) {
            // The broker's and the clients' warnings would drown the progress lines: they go to a file.
            System.setProperty(logFile, target.resolve("bench.log").toString());
        }
        out.printf("ved bench, %s mode: results into %s (library logs in %s)%n", settings.mode(), target,
                System.getProperty(logFile));
        out.flush();
        BenchResult result = Bench.run(settings, target, out,
                bootstrap == null ? Optional.empty() : Optional.of(new String[] {bootstrap, registry}), rate);
        out.println();
        out.print(BenchReport.table(result));
        result.notes().forEach(n -> out.println("note: " + n));
        out.printf("Wrote %s, %s and %s (%.0f s).%n", target.resolve(BenchReport.JSON), target.resolve(BenchReport.MARKDOWN),
                target.resolve(BenchReport.CHART), result.totalSeconds());
        updateDoc(result, out);
        return 0;
    }

    private void updateDoc(BenchResult result, PrintWriter out) throws java.io.IOException {
        if (doc == null) {
            return;
        }
        if (!Files.isRegularFile(doc)) {
            throw new UserError("no such document: " + doc);
        }
        try {
            BenchReport.updateDoc(result, doc);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        out.println("Updated " + doc + " (and its bench/chart.svg, bench/results.json)");
    }

    BenchSettings settings() {
        BenchSettings base = quick ? BenchSettings.quick() : BenchSettings.full();
        try {
            BenchSettings.Builder s = base.toBuilder()
                    .messages(messages).warmupMessages(warmup).rounds(rounds).keys(keys).partitions(partitions)
                    .valueBytes(valueBytes).latencyWarmupSeconds(latencyWarmupSeconds).latencySeconds(latencySeconds)
                    .loadFraction(loadFraction).commitIntervals(commitIntervals).scaleInstances(instances)
                    .recoveryRate(recoveryRate).extras(extras);
            if (parts != null) {
                EnumSet<BenchSettings.Part> chosen = EnumSet.noneOf(BenchSettings.Part.class);
                for (String p : parts) {
                    try {
                        chosen.add(BenchSettings.Part.valueOf(p.trim().toUpperCase(java.util.Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        throw new UserError("unknown part '" + p + "': use throughput, latency, scale, recovery, failover or scaleout");
                    }
                }
                s.parts(chosen);
            }
            return s.build();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }
}
