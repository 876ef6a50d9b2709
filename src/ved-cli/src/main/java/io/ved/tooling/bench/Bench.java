package io.ved.tooling.bench;

import io.ved.tooling.bench.model.BenchMessage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.internals.AppInfoParser;

/**
 * {@code ved bench}: Ved against bare Kafka Streams and the raw broker, in one JVM, on one broker. Runs
 * (a) raw broker, (b) bare Kafka Streams, (c) Ved, (d) Ved with one send per message, each warmed up and then
 * measured for throughput (pre-produced messages, timed until all are committed) and for latency at a fixed
 * offered load below saturation, at each commit interval; then the scale and recovery measurements. Writes
 * results.json, results.md and chart.svg.
 */
public final class Bench {
    private static final Duration SAMPLE_WAIT = Duration.ofSeconds(60);

    private final BenchSettings settings;
    private final PrintWriter log;
    /** More CPU than this going to other processes during a run makes its figures suspect. */
    private static final double BUSY_SHARE = 0.10;
    private final List<String> notes = new ArrayList<>();
    private final Double fixedRate;
    private final long startedNanos = System.nanoTime();

    private Bench(BenchSettings settings, PrintWriter log, Double fixedRate) {
        this.settings = settings;
        this.log = log;
        this.fixedRate = fixedRate;
    }

    /**
     * Runs the benchmark and writes its results into {@code out}.
     *
     * @param existing a broker and registry to use instead of starting them (bootstrap, registry URL), or empty
     * @param rate     the offered load for latency, instead of a fraction of the slowest variant's throughput, or null
     */
    public static BenchResult run(BenchSettings settings, Path out, PrintWriter log, Optional<String[]> existing, Double rate)
            throws Exception {
        return new Bench(settings, log, rate).run(out, existing);
    }

    private BenchResult run(Path out, Optional<String[]> existing) throws Exception {
        long started = System.nanoTime();
        Instant startedAt = Instant.now();
        double loadAtStart = loadAverage();
        Files.createDirectories(out);
        Path work = out.resolve("work");
        deleteTree(work);
        Files.createDirectories(work);
        if (settings.mode().equals("quick")) {
            notes.add("Quick mode: small message counts and short latency windows, to check that the benchmark runs. "
                    + "Its figures are indicative only; take real figures with the full mode on an idle machine.");
        }
        OtherLoad otherLoad = OtherLoad.start();
        String runId = Long.toString(System.currentTimeMillis(), 36);
        say("Starting Kafka %s (in this JVM) and a schema registry ...", AppInfoParser.getVersion());
        List<BenchResult.Variant> variants = new ArrayList<>();
        BenchResult.Scale scale = null;
        BenchResult.Recovery recovery = null;
        List<BenchResult.Failover> failover = List.of();
        List<BenchResult.ScaleOut> scaleOut = List.of();
        try (BenchStack stack = existing.map(e -> BenchStack.existing(e[0], e[1])).orElseGet(() -> BenchStack.start(work))) {
            // The registry starts beside the broker; nothing is measured while it starts (it keeps a core busy).
            say("  broker at %s, schema registry at %s", stack.bootstrap(), stack.registryUrl());
            if (settings.runs(BenchSettings.Part.THROUGHPUT) || settings.runs(BenchSettings.Part.LATENCY)) {
                variants.addAll(variants(stack, runId, work));
            }
            if (settings.runs(BenchSettings.Part.SCALE)) {
                say("Scale: %,d domain instances ...", settings.scaleInstances());
                scale = new ScaleBench(new BenchRun(stack, settings, runId, work, log, startedNanos)).run();
            }
            if (settings.runs(BenchSettings.Part.RECOVERY)) {
                say("Recovery: kill -9 of a running `ved run` process, replacement started at once ...");
                recovery = new RecoveryBench(new BenchRun(stack, settings, runId, work, log, startedNanos)).run();
            }
            if (settings.runs(BenchSettings.Part.FAILOVER)) {
                say("Fail-over: two `ved run` processes under load, one killed with kill -9, %d ways of running them ...",
                        FailoverBench.SETUPS.size());
                failover = new FailoverBench(new BenchRun(stack, settings, runId, work, log, startedNanos)).run();
            }
            if (settings.runs(BenchSettings.Part.SCALEOUT)) {
                say("Scale-out: a 3-broker cluster, %d ways of running `ved run` (instances x stream threads) ...",
                        ScaleOutBench.SETUPS.size());
                scaleOut = new ScaleOutBench(new BenchRun(stack, settings, runId, work, log, startedNanos)).run();
            }
        }
        double otherCpu = otherLoad.share(Duration.ofNanos(System.nanoTime() - started)).orElse(-1);
        if (otherCpu > BUSY_SHARE) {
            notes.add(String.format(Locale.ROOT, "Other processes used %.0f%% of the machine's CPU during the run: they "
                    + "competed with the benchmark, so the figures are distorted.", 100 * otherCpu));
        }
        BenchResult result = new BenchResult(settings.mode(), startedAt.toString(), (System.nanoTime() - started) / 1e9,
                machine(loadAtStart, otherCpu), settingsMap(), variants, ratios(variants), scale, recovery, failover, scaleOut, notes);
        BenchReport.write(result, out);
        deleteTree(work);
        return result;
    }

    private List<BenchResult.Variant> variants(BenchStack stack, String runId, Path work) throws Exception {
        boolean throughput = settings.runs(BenchSettings.Part.THROUGHPUT);
        boolean latency = settings.runs(BenchSettings.Part.LATENCY);
        // (a) and (b) never look the schema id up; any id gives the same bytes.
        Load plain = new Load(settings.keys(), settings.valueBytes(), 1);
        Load registered = new Load(settings.keys(), settings.valueBytes(),
                stack.codec().schemaIdOf(BenchMessage.class));
        RawBrokerBench raw = new RawBrokerBench(stack, plain, settings.partitions(), runId);
        raw.createTopics();
        BareStreamsApp bare = new BareStreamsApp(stack.bootstrap(), work.resolve("state-b"), runId);
        List<BenchApp> apps = new ArrayList<>(List.of(bare,
                VedBenchApp.counter("c", "Ved", "a domain doing the same work as (b): CounterDomain, one message type, "
                        + "a counter per key; Ved's defaults (a trace record per message, handler time limit 5 s, "
                        + "watched on the stream thread)", List.of(),
                        settings.partitions(), runId, stack, work),
                VedBenchApp.relay("d", settings.partitions(), runId, stack, work)));
        if (settings.extras() && throughput) {
            apps.add(VedBenchApp.counter("cS", "Ved, handler on a separate thread", "as (c) with handlerThread: separate "
                    + "(the default before this release): each handler call is handed to a thread that can be abandoned "
                    + "at the limit", List.of("handlerThread: separate"), settings.partitions(), runId, stack, work));
            apps.add(VedBenchApp.counter("cT", "Ved, tracing off", "as (c) with trace: false: no trace record per message",
                    List.of("trace: false"), settings.partitions(), runId, stack, work));
        }
        Map<String, Load> loads = new LinkedHashMap<>();
        apps.forEach(app -> loads.put(app.id(), app == bare ? plain : registered));
        Map<String, List<BenchResult.Throughput>> rounds = new LinkedHashMap<>();
        Map<String, BenchResult.Throughput> throughputs = new LinkedHashMap<>();
        List<BenchResult.Throughput> bOther = new ArrayList<>();
        double rate;
        try {
            if (throughput) {
                // Every variant warms up before any is measured, so that all are measured with the same JIT-compiled code.
                say("Warm-up: %,d messages through each variant", settings.warmupMessages());
                for (BenchApp app : apps) {
                    warmUp(stack, app, loads.get(app.id()), 100, settings.warmupMessages());
                }
                // With several rounds, one more goes first and is not counted: the first pause, pre-produce and resume
                // of each variant ran at about two thirds of the speed of the later ones (JIT, heap sizing, caches).
                int first = settings.rounds() > 1 ? 0 : 1;
                for (int round = first; round <= settings.rounds(); round++) {
                    boolean counted = round > 0;
                    say("Throughput%s: %,d pre-produced messages per variant, commit.interval.ms 100",
                            !counted ? " warm-up round (not counted)" : settings.rounds() > 1
                                    ? " round " + round + " of " + settings.rounds() : "", settings.messages());
                    say("(a) %s", RawBrokerBench.name());
                    BenchResult.Throughput t = raw.throughput(round == first ? settings.warmupMessages() : Math.min(2_000,
                            settings.warmupMessages()), settings.messages(), 100);
                    sayThroughput(t);
                    if (counted) {
                        rounds.computeIfAbsent("a", k -> new ArrayList<>()).add(t);
                    }
                    for (BenchApp app : apps) {
                        say("(%s) %s", app.id(), app.name());
                        BenchResult.Throughput measured = measure(stack, app, loads.get(app.id()));
                        if (counted) {
                            rounds.computeIfAbsent(app.id(), k -> new ArrayList<>()).add(measured);
                        }
                    }
                }
                rounds.forEach((id, measured) -> throughputs.put(id, BenchResult.Throughput.median(measured)));
                for (BenchApp app : apps) {
                    if (!app.id().equals("b") && !app.id().equals("c") && !app.id().equals("d")) {
                        app.close();
                    }
                }
                // The offered load must stay below every variant's saturation, (b) at each commit interval included:
                // a saturated variant's latency is only its queue growing.
                double slowest = Math.min(throughputs.get("b").messagesPerSecond(),
                        Math.min(throughputs.get("c").messagesPerSecond(), throughputs.get("d").messagesPerSecond()));
                for (int interval : settings.commitIntervals()) {
                    if (interval != 100) {
                        say("(b) %s at commit.interval.ms %d", bare.name(), interval);
                        warmUp(stack, bare, plain, interval, Math.min(settings.warmupMessages(), 2_000));
                        BenchResult.Throughput t = measure(stack, bare, plain);
                        bOther.add(t);
                        slowest = Math.min(slowest, t.messagesPerSecond());
                    }
                }
                rate = fixedRate != null ? fixedRate : Math.max(10, Math.floor(slowest * settings.loadFraction()));
            } else {
                rate = fixedRate != null ? fixedRate : 1000;
            }
            Map<String, List<BenchResult.Latency>> latencies = new LinkedHashMap<>();
            if (latency) {
                say("Latency: %,.0f msgs/s offered to every variant (%s), %d s recorded after %d s of warm-up", rate,
                        fixedRate != null ? "fixed" : !throughput ? "default" : String.format(java.util.Locale.ROOT,
                                "%.0f%% of the throughput of the slowest of (b), (c) and (d)", 100 * settings.loadFraction()),
                        settings.latencySeconds(), settings.latencyWarmupSeconds());
                say("(b) %s", bare.name());
                latencies.put("b", latencyOf(stack, bare, plain, rate));
                bare.close();
                say("(a) %s", RawBrokerBench.name());
                List<BenchResult.Latency> aLatency = new ArrayList<>();
                for (int interval : settings.commitIntervals()) {
                    BenchResult.Latency l = raw.latency(rate, interval, settings.latencyWarmupSeconds(), settings.latencySeconds());
                    sayLatency(l);
                    aLatency.add(l);
                }
                latencies.put("a", aLatency);
                for (BenchApp app : apps) {
                    if (app.id().equals("c") || app.id().equals("d")) {
                        say("(%s) %s", app.id(), app.name());
                        latencies.put(app.id(), latencyOf(stack, app, registered, rate));
                        app.close();
                    }
                }
            }
            List<BenchResult.Variant> variants = new ArrayList<>();
            variants.add(new BenchResult.Variant("a", RawBrokerBench.name(), RawBrokerBench.description(), throughputs.get("a"),
                    List.of(), latencies.getOrDefault("a", List.of())));
            for (BenchApp app : apps) {
                variants.add(new BenchResult.Variant(app.id(), app.name(), app.description(), throughputs.get(app.id()),
                        app == bare ? bOther : List.of(), latencies.getOrDefault(app.id(), List.of())));
            }
            return variants;
        } finally {
            apps.forEach(BenchApp::close);
        }
    }

    /** Starts the application (or resumes it, or restarts it at this commit interval), runs messages through it, pauses it. */
    private void warmUp(BenchStack stack, BenchApp app, Load load, int commitIntervalMs, int warmup) {
        app.ensureRunning(stack, settings.partitions(), commitIntervalMs);
        long first = app.takeSeq(warmup);
        load.produce(stack.bootstrap(), app.inputTopic(), first, first + warmup);
        stack.awaitCommitted(app.applicationId(), stack.endOffsets(List.of(app.inputTopic())), timeoutFor(warmup));
        app.pause();
    }

    /**
     * One throughput measurement of a warmed-up, paused application: pre-produce the messages, resume it, time until
     * its group has committed them all, pause it again.
     */
    private BenchResult.Throughput measure(BenchStack stack, BenchApp app, Load load) {
        long first = app.takeSeq(settings.messages());
        load.produce(stack.bootstrap(), app.inputTopic(), first, first + settings.messages());
        Map<TopicPartition, Long> ends = stack.endOffsets(List.of(app.inputTopic()));
        CpuMeter cpu = CpuMeter.start(app.threads());
        long t0 = System.nanoTime();
        app.resume();
        long t1 = stack.awaitCommitted(app.applicationId(), ends, timeoutFor(settings.messages()));
        long threadNanos = cpu.threadNanos();
        long processNanos = cpu.processNanos();
        app.checkAlive();
        app.pause();
        double seconds = (t1 - t0) / 1e9;
        BenchResult.Throughput result = new BenchResult.Throughput(app.commitIntervalMs(), settings.messages(), seconds,
                settings.messages() / seconds, threadNanos / 1e3 / settings.messages(), processNanos / 1e3 / settings.messages(),
                List.of());
        sayThroughput(result);
        return result;
    }

    /** Latency at each commit interval, the application restarted for each; leaves it stopped. */
    private List<BenchResult.Latency> latencyOf(BenchStack stack, BenchApp app, Load load, double rate) {
        if (app instanceof VedBenchApp ved && !ved.observable()) {
            return List.of();
        }
        List<BenchResult.Latency> results = new ArrayList<>();
        // The interval it already runs with first: one restart fewer.
        List<Integer> order = new ArrayList<>();
        for (int interval : settings.commitIntervals()) {
            if (app.runsWith(interval)) {
                order.addFirst(interval);
            } else {
                order.add(interval);
            }
        }
        for (int interval : order) {
            app.ensureRunning(stack, settings.partitions(), interval);
            LatencyRecorder endToEnd = new LatencyRecorder();
            LatencyRecorder inProcessor = new LatencyRecorder();
            Load.Paced paced;
            try (ProbeConsumer probe = new ProbeConsumer(stack.bootstrap(), app.probes(endToEnd, inProcessor), "bench-probe-" + app.id());
                 KafkaProducer<byte[], byte[]> producer = Load.producer(Load.producerConfig(stack.bootstrap(), "bench-load-" + app.id()))) {
                long windowStart = System.currentTimeMillis() + settings.latencyWarmupSeconds() * 1000L;
                long windowEnd = windowStart + settings.latencySeconds() * 1000L;
                endToEnd.window(windowStart, windowEnd);
                inProcessor.window(windowStart, windowEnd);
                paced = load.paced(producer, app.inputTopic(), rate, windowStart, windowEnd, app.takeSeq(0), 0, new AtomicBoolean());
                if (!awaitSamples(endToEnd, paced.inWindow(), probe)) {
                    notes.add(String.format("(%s) at commit.interval.ms %d: only %d of %d messages were seen handled within %d s "
                                    + "of the end of the load: it could not keep up with the offered load", app.id(), interval,
                            endToEnd.count(), paced.inWindow(), SAMPLE_WAIT.toSeconds()));
                }
            }
            app.checkAlive();
            app.takeSeq(paced.sent());
            BenchResult.Latency l = new BenchResult.Latency(interval, rate, paced.inWindow(),
                    BenchResult.Stats.of(endToEnd.stats()),
                    app.measuresInProcessor() ? BenchResult.Stats.of(inProcessor.stats()) : null);
            sayLatency(l);
            results.add(l);
        }
        app.stop();
        results.sort(java.util.Comparator.comparingInt(l -> indexOf(settings.commitIntervals(), l.commitIntervalMs())));
        return results;
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return values.length;
    }

    /** Waits until the recorder holds the expected samples; false when they did not all come in time. */
    static boolean awaitSamples(LatencyRecorder recorder, long expected, ProbeConsumer probe) {
        long deadline = System.nanoTime() + SAMPLE_WAIT.toNanos();
        while (recorder.count() < expected) {
            probe.received();
            if (System.nanoTime() > deadline) {
                return false;
            }
            BenchStack.sleep(20);
        }
        return true;
    }

    private static Duration timeoutFor(long messages) {
        return Duration.ofSeconds(120 + messages / 200);
    }

    private BenchResult.Ratios ratios(List<BenchResult.Variant> variants) {
        Map<String, BenchResult.Variant> byId = new LinkedHashMap<>();
        variants.forEach(v -> byId.put(v.id(), v));
        Map<String, Double> p99c = new LinkedHashMap<>();
        Map<String, Double> p99d = new LinkedHashMap<>();
        for (int interval : settings.commitIntervals()) {
            p99c.put(Integer.toString(interval), p99Ratio(byId.get("c"), byId.get("b"), interval));
            p99d.put(Integer.toString(interval), p99Ratio(byId.get("d"), byId.get("b"), interval));
        }
        return new BenchResult.Ratios(throughputRatio(byId.get("c"), byId.get("b")), throughputRatio(byId.get("d"), byId.get("b")),
                throughputRatio(byId.get("b"), byId.get("a")), p99c, p99d);
    }

    private static Double throughputRatio(BenchResult.Variant top, BenchResult.Variant bottom) {
        if (top == null || bottom == null || top.throughput() == null || bottom.throughput() == null) {
            return null;
        }
        return round(top.throughput().messagesPerSecond() / bottom.throughput().messagesPerSecond(), 3);
    }

    private static Double p99Ratio(BenchResult.Variant top, BenchResult.Variant bottom, int interval) {
        if (top == null || bottom == null || top.latencyAt(interval) == null || bottom.latencyAt(interval) == null
                || bottom.latencyAt(interval).endToEnd().p99() <= 0) {
            return null;
        }
        return round(top.latencyAt(interval).endToEnd().p99() / bottom.latencyAt(interval).endToEnd().p99(), 3);
    }

    static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    private Map<String, Object> settingsMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messages", settings.messages());
        m.put("warmup_messages", settings.warmupMessages());
        m.put("keys", settings.keys());
        m.put("partitions", settings.partitions());
        m.put("value_bytes", settings.valueBytes());
        m.put("latency_warmup_seconds", settings.latencyWarmupSeconds());
        m.put("latency_seconds", settings.latencySeconds());
        m.put("load_fraction_of_b", fixedRate != null ? null : settings.loadFraction());
        m.put("fixed_rate", fixedRate);
        m.put("commit_intervals_ms", java.util.Arrays.stream(settings.commitIntervals()).boxed().toList());
        m.put("throughput_commit_interval_ms", 100);
        m.put("scale_instances", settings.scaleInstances());
        m.put("recovery_rate", settings.recoveryRate());
        m.put("stream_threads", 1);
        m.put("parts", settings.parts().stream().map(Enum::name).sorted().toList());
        return m;
    }

    private BenchResult.Machine machine(double loadAtStart, double otherCpu) {
        long memory = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize() : -1;
        return new BenchResult.Machine(Runtime.getRuntime().availableProcessors(), memory, cpuModel(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " (" + System.getProperty("os.arch") + ")",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()),
                AppInfoParser.getVersion(), loadAtStart, loadAverage(), otherCpu);
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException | UncheckedIOException e) {
            return "unknown";
        }
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private void sayThroughput(BenchResult.Throughput t) {
        say("  throughput at commit.interval.ms %d: %,.0f msgs/s (%,d messages in %.2f s; %.1f µs CPU per message in its threads)",
                t.commitIntervalMs(), t.messagesPerSecond(), t.messages(), t.seconds(), t.cpuMicrosPerMessage());
    }

    private void sayLatency(BenchResult.Latency l) {
        BenchResult.Stats e = l.endToEnd();
        say("  commit.interval.ms %3d: end-to-end p50 %.0f / p95 %.0f / p99 %.0f ms (%,d samples)%s", l.commitIntervalMs(),
                e.p50(), e.p95(), e.p99(), e.samples(), l.inProcessor() == null ? ""
                        : String.format("; in processor p50 %.0f / p99 %.0f ms", l.inProcessor().p50(), l.inProcessor().p99()));
    }

    private void say(String format, Object... args) {
        say(log, startedNanos, format, args);
    }

    /** A progress line, prefixed with the seconds since the run started. */
    static void say(PrintWriter log, long startedNanos, String format, Object... args) {
        log.println(String.format(java.util.Locale.ROOT, "[%5.1f s] ", (System.nanoTime() - startedNanos) / 1e9)
                + String.format(format, args));
        log.flush();
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
