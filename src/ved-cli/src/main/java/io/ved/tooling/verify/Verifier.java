package io.ved.tooling.verify;

import io.ved.envelope.MessageCodec;
import io.ved.envelope.registry.HttpSchemaRegistry;
import io.ved.tooling.lag.Quiescence;
import io.ved.tooling.stack.LocalCluster;
import io.ved.tooling.stack.LocalKafka;
import io.ved.tooling.stack.LocalRegistry;
import io.ved.tooling.stack.StackFile;
import io.ved.runtime.TopicPlan;
import io.ved.tooling.topics.TopicReconciler;
import io.ved.tooling.verify.model.Audit;
import io.ved.tooling.verify.model.Deposit;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code ved verify}: Ved's exactly-once promise, checked the way Kafka Streams' own EOS system test checks
 * Kafka Streams. A driver sends deposits at a steady rate to {@link VerifyAccount} instances, each of which
 * applies its deposit and sends an audit to a {@link VerifyAudit} instance; the application runs as several
 * {@code ved run} processes; meanwhile a chaos loop kill -9's them one at a time (restarting each after a short
 * pause) and restarts the broker. Once everything is sent and handled, the {@link Checker} reads what Kafka
 * committed and counts what was lost, applied twice or reordered.
 */
public final class Verifier {
    private static final Pattern GENERATION = Pattern.compile("generationId=(\\d+)");
    private static final Duration GROUP_READY = Duration.ofMinutes(2);
    /**
     * The broker looks for transactions past their timeout every 10 s by default: a killed app's open transaction
     * would then block its partitions' readers for up to 15 s instead of 5. A streams group (KIP-1071) takes its
     * session timeout from the broker, 45 s at least by default; the verifier's brokers allow and default to the
     * same 10 s session (and a heartbeat every 3 s) that Ved gives a classic group, so the protocols compare fairly.
     */
    private static final Map<String, String> BROKER_CONFIG = Map.of(
            "transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000",
            "group.streams.min.session.timeout.ms", "10000",
            "group.streams.session.timeout.ms", "10000",
            "group.streams.min.heartbeat.interval.ms", "1000",
            "group.streams.heartbeat.interval.ms", "3000");

    private final VerifySettings settings;
    private final PrintWriter out;
    private final List<AppProcess> apps = new ArrayList<>();

    public Verifier(VerifySettings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    public VerifyReport run() throws Exception {
        long t0 = System.nanoTime();
        Path work = Files.createDirectories(settings.workDir()).toAbsolutePath();
        // names of topics and group: apart from any other run's, even on a shared broker in the same second
        String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        VerifyDeployment deployment = VerifyDeployment.of(runId, settings.partitions(), Math.min(3, settings.brokers()),
                settings.crossApplication());
        VerifyPlan plan = new VerifyPlan(settings.messages(), settings.accountCount(), settings.auditCount(),
                settings.poisonCount(), settings.seed());
        out.printf("Ved verifier: %,d deposits (%,d poison) to %,d accounts, audited by %,d audits%s; %d app process(es)%s;"
                        + " at least %d kills over %s (seed %d)%n", plan.messages(), plan.poisonCount(),
                plan.accounts(), plan.audits(), deployment.crossApplication() ? " in a second application" : "",
                settings.processes(), settings.scaleSteps().isEmpty() ? "" : ", scaled to " + settings.scaleSteps(),
                settings.minKills(), VerifyReport.seconds(settings.duration()), settings.seed());
        out.println("  work directory (logs): " + work);
        out.flush();
        Thread orphanGuard = new Thread(() -> apps.forEach(AppProcess::kill), "ved-verify-orphan-guard");
        Runtime.getRuntime().addShutdownHook(orphanGuard);
        LocalKafka kafka = null;
        LocalCluster cluster = null;
        NetworkFault network = null;
        BrokerFault brokerFault = null;
        LocalRegistry registry = null;
        VerifyReport report;
        try {
            String bootstrap;
            if (settings.bootstrap().isPresent()) {
                bootstrap = settings.bootstrap().get();
                out.println("  using the broker at " + bootstrap + " (it is not ours: no broker or network faults)");
            } else {
                network = settings.plannedNetworkFaults() > 0 ? new NetworkFault(settings.brokers()) : null;
                NetworkFault proxies = network;
                long t = System.nanoTime();
                if (settings.brokers() > 1) {
                    cluster = LocalCluster.start(work.resolve("kafka"), settings.brokers(), BROKER_CONFIG,
                            List.of("-XX:TieredStopAtLevel=1"),
                            node -> proxies == null ? List.of() : List.of(proxies.listener(node)));
                    bootstrap = cluster.bootstrapServers();
                    brokerFault = BrokerFault.of(cluster, new TopicPartition(deployment.accountInbox(), 0));
                    out.printf("  Kafka cluster of %d nodes (processes: pids %s; replication factor %d, min.insync.replicas %d) in %.1f s%n",
                            settings.brokers(), cluster.nodes().stream().map(n -> Long.toString(n.pid())).toList(),
                            Math.min(3, settings.brokers()), Math.min(2, settings.brokers()), seconds(t));
                } else {
                    LocalKafka.Builder builder = LocalKafka.builder(work.resolve("kafka"))
                            // C1 only, as for the apps: a restart is back sooner; the verifier's load needs no C2
                            .jvmOption("-XX:TieredStopAtLevel=1");
                    BROKER_CONFIG.forEach(builder::config);
                    if (proxies != null) {
                        builder.listener(proxies.listener(1));
                    }
                    kafka = builder.start();
                    bootstrap = kafka.bootstrapServers();
                    brokerFault = BrokerFault.of(kafka);
                    out.printf("  Kafka broker (a process: pid %d) on %s in %.1f s%n", kafka.pid(), bootstrap, seconds(t));
                }
            }
            String registryUrl;
            if (settings.registry().isPresent()) {
                registryUrl = settings.registry().get();
            } else {
                long t = System.nanoTime();
                registry = LocalRegistry.start(LocalRegistry.ensureDistribution(), work.resolve("registry"));
                registryUrl = registry.ccompatUrl();
                out.printf("  schema registry at %s in %.1f s%n", registryUrl, seconds(t));
            }
            out.flush();
            report = run(plan, deployment, bootstrap, registryUrl, brokerFault, network, work, t0);
        } finally {
            stopApps();
            if (network != null) {
                network.close();
            }
            if (registry != null) {
                registry.close();
            }
            if (kafka != null) {
                kafka.close();
            }
            if (cluster != null) {
                cluster.close();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(orphanGuard);
            } catch (IllegalStateException shuttingDown) {
                // the guard runs anyway
            }
        }
        java.io.StringWriter table = new java.io.StringWriter();
        report.print(new PrintWriter(table));
        Files.writeString(work.resolve("report.md"), table.toString(), StandardCharsets.UTF_8);
        if (report.passed()) {
            // what a failed run would need for a post-mortem; a passed run keeps only its logs and report
            StackFile.deleteTree(work.resolve("kafka").resolve("data"));
            for (int node = 1; node <= settings.brokers(); node++) {
                StackFile.deleteTree(work.resolve("kafka").resolve("node-" + node).resolve("data"));
            }
            StackFile.deleteTree(work.resolve("registry").resolve("tmp"));
            apps.forEach(app -> StackFile.deleteTree(app.logFile().resolveSibling("state")));
        }
        return report;
    }

    /**
     * The processes of the run, none started: the accounts application's, as many as it will ever have (the
     * first {@code processes} start, the others are room for scale events), then one for the audits when they are
     * another application. Process 0 reaches the brokers through the network fault's proxies, if there is one.
     */
    private void prepareApps(VerifyDeployment deployment, Path work, String bootstrap, String registryUrl,
                             NetworkFault network) throws IOException {
        Map<String, Path> topologyFiles = new java.util.HashMap<>();
        for (VerifyDeployment.Application app : deployment.applications()) {
            Path file = work.resolve(deployment.crossApplication() ? "topology-" + app.id().substring(deployment.runPrefix().length() + 1)
                    + ".yaml" : "topology.yaml");
            Files.writeString(file, app.yaml(), StandardCharsets.UTF_8);
            topologyFiles.put(app.id(), file);
        }
        List<VerifyDeployment.Application> slots = new ArrayList<>();
        for (int i = 0; i < settings.mostProcesses(); i++) {
            slots.add(deployment.accountsApp());
        }
        if (deployment.crossApplication()) {
            slots.add(deployment.auditsApp());
        }
        for (int i = 0; i < slots.size(); i++) {
            VerifyDeployment.Application app = slots.get(i);
            String servers = i == 0 && network != null ? network.bootstrapServers() : bootstrap;
            apps.add(new AppProcess(i, app, work, topologyFiles.get(app.id()), servers, registryUrl, settings.appConfig(),
                    settings.clientConfig()));
        }
    }

    private VerifyReport run(VerifyPlan plan, VerifyDeployment deployment, String bootstrap, String registryUrl,
                             BrokerFault brokerFault, NetworkFault network, Path work, long t0) throws Exception {
        try (Admin admin = Admin.create(io.ved.runtime.ToolClients.with(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000)));
             HttpSchemaRegistry schemas = new HttpSchemaRegistry(registryUrl)) {
            TopicReconciler topics = new TopicReconciler(admin);
            for (VerifyDeployment.Application app : deployment.applications()) {
                topics.apply(TopicPlan.topicsToCreate(app.topology()), List.of());
            }
            MessageCodec codec = new MessageCodec(schemas);
            codec.schemaIdOf(Deposit.class);
            codec.schemaIdOf(Audit.class);

            long t = System.nanoTime();
            prepareApps(deployment, work, bootstrap, registryUrl, network);
            for (AppProcess app : apps) {
                if (app.application() != deployment.accountsApp() || app.index() < settings.processes()) {
                    app.start();
                }
            }
            for (VerifyDeployment.Application app : deployment.applications()) {
                awaitGroupReady(admin, app);
            }
            out.printf("  %d app process(es) running %s (pids %s) in %.1f s%n", apps.stream().filter(AppProcess::wanted).count(),
                    String.join(" and ", deployment.applications().stream().map(VerifyDeployment.Application::id).toList()),
                    apps.stream().filter(AppProcess::wanted).map(a -> Long.toString(a.pid())).toList(), seconds(t));
            Map<String, Long> generationsBefore = latestGenerations(admin);

            Map<String, String> groupByInbox = new java.util.LinkedHashMap<>();
            deployment.inboxes().forEach(inbox -> groupByInbox.put(inbox, deployment.consumerOf(inbox).id()));
            Monitor monitor = new Monitor(admin, groupByInbox, settings.partitions());
            Chaos chaos = new Chaos(apps, deployment.accountsApp(), brokerFault, network, monitor, settings, out);
            Driver driver = new Driver(plan, deployment.accountInbox(), deployment.runPrefix(), bootstrap, codec, settings.duration(),
                    chaos::nextPlannedAt, line -> {
                        out.println("  " + line);
                        out.flush();
                    });
            LiveReader live = new LiveReader(bootstrap, deployment.auditInbox(), settings.partitions(), codec, plan.messages());
            Thread monitorThread = Thread.ofPlatform().name("ved-verify-monitor").daemon().start(monitor);
            Thread liveThread = Thread.ofPlatform().name("ved-verify-live-reader").daemon().start(live);
            Thread chaosThread = Thread.ofPlatform().name("ved-verify-chaos").daemon().start(chaos);
            long runStart = System.nanoTime();
            out.printf("Sending %,d deposits over %s while the chaos runs:%n", plan.messages(), VerifyReport.seconds(settings.duration()));
            out.flush();
            Thread driverThread = Thread.ofPlatform().name("ved-verify-driver").start(driver);
            Progress progress = new Progress(plan, driver, chaos, monitor, live, runStart, deployment.accountInbox());
            Optional<String> failure;
            boolean caughtUp;
            try {
                while (driverThread.isAlive()) {
                    progress.tick(false);
                    driverThread.join(200);
                }
                failure = driver.failure().map(e -> "the driver could not send every deposit: " + e);
                chaos.productionOver();
                if (failure.isPresent()) {
                    chaos.stop();
                }
                while (chaosThread.isAlive()) {
                    progress.tick(false);
                    chaosThread.join(200);
                }
                out.printf("Chaos over: %s. Waiting for the application to catch up...%n", chaos.counts().entrySet().stream()
                        .filter(e -> e.getValue() > 0).map(e -> e.getValue() + " x " + e.getKey().label())
                        .collect(java.util.stream.Collectors.joining(", ")));
                out.flush();
                caughtUp = catchUp(admin, deployment, chaos, progress);
                if (caughtUp && failure.isEmpty()) {
                    failure = hangingTransactions(admin, deployment);
                    if (failure.isEmpty()) {
                        out.println("  no transaction left hanging: on every inbox, changelog and dead-letter partition the last "
                                + "stable offset equals the high watermark");
                    }
                }
                monitor.sampleNow().ifPresent(monitor::resolveWatches);
            } finally {
                driver.stop();
                chaos.stop();
                monitor.stop();
                live.finish(Duration.ofMinutes(1));
                chaosThread.join(10_000);
                monitorThread.join(2_000);
                liveThread.join(70_000);
            }
            long rebalances = rebalancesSince(admin, generationsBefore);

            out.println("Checking what Kafka committed (read_committed: inboxes, changelogs, dead letters)...");
            out.flush();
            Checker.Result result = new Checker(plan).check(CommittedHistory.read(bootstrap, codec, deployment, Duration.ofMinutes(2)));
            LiveReader.Result seen = live.result();
            Map<FaultKind, List<Optional<Duration>>> resumeByKind = new java.util.EnumMap<>(FaultKind.class);
            List<String> faults = new ArrayList<>();
            for (Monitor.Watch w : monitor.watches()) {
                if (w.idle) {
                    faults.add(String.format("%-22s at %5.1f s: nothing was left to handle (not timed)", w.what,
                            (w.faultNanos - runStart) / 1e9));
                    continue;
                }
                resumeByKind.computeIfAbsent(w.kind, k -> new ArrayList<>()).add(w.timeToResume());
                faults.add(String.format("%-22s at %5.1f s: processing resumed %s", w.what, (w.faultNanos - runStart) / 1e9,
                        w.timeToResume().map(d -> VerifyReport.seconds(d) + " later" + w.lastToResume()
                                .map(tp -> " (last: " + tp.topic().substring(deployment.runPrefix().length() + 1) + "-"
                                        + tp.partition() + ")").orElse("")).orElse("never")));
            }
            List<String> examples = new ArrayList<>(result.examples());
            examples.addAll(seen.examples());
            VerifyReport report = new VerifyReport(plan.messages(), plan.poisonCount(), plan.accounts(), plan.audits(),
                    settings.partitions(), settings.processes(), deployment.applications().size(), settings.seed(),
                    chaos.counts(), chaos.brokerDownTimes(), rebalances, chaos.unexpectedExits(), result.lost(), result.duplicated(),
                    result.outOfOrder(), result.inconsistent() + result.poisonApplied(), result.deadLetters(), result.expectedDeadLetters(),
                    result.unexplainedDeadLetters(), resumeByKind, faults,
                    new VerifyReport.LiveCheck(seen.read(), seen.duplicates(), seen.outOfOrder(), seen.reachedEnd()),
                    caughtUp, failure, examples, Duration.ofNanos(System.nanoTime() - t0), work);
            if (report.passed() && settings.bootstrap().isPresent()) {
                deleteTopics(admin, deployment);
            }
            return report;
        }
    }

    /** Until every wanted process of the application is in its group and all its inbox partitions are assigned. */
    private void awaitGroupReady(Admin admin, VerifyDeployment.Application application) throws InterruptedException {
        long deadline = System.nanoTime() + GROUP_READY.toNanos();
        String groupId = application.id();
        int partitions = application.consumedPartitions();
        List<AppProcess> members = apps.stream().filter(a -> a.application() == application && a.wanted()).toList();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            for (AppProcess app : members) {
                if (app.exitedUnexpectedly()) {
                    throw new IllegalStateException("app process " + app.index() + " exited with code " + app.exitCode()
                            + " while starting; see " + app.logFile() + tail(app.logFile()));
                }
            }
            try {
                GroupView group = GroupView.describe(admin, groupId);
                last = group.state() + ", " + group.members() + " members, " + group.assignedPartitions() + " partitions assigned";
                if (group.stable() && group.members() == members.size() && group.assignedPartitions() >= partitions) {
                    return;
                }
            } catch (Exception notYet) {
                last = notYet.toString();
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the app processes of " + groupId + " did not form a group within "
                + GROUP_READY.toSeconds() + " s (last seen: " + last + "); logs: " + members.stream().map(AppProcess::logFile).toList());
    }

    /**
     * Zero mailbox lag, twice: once, then again once no transaction of the app that began before the catch-up
     * is still open. A killed process's open transaction holds back the last stable offset of the partitions it
     * wrote to, so until the broker aborts it (or the restarted process fences it) lag can look zero while
     * committed records wait behind it.
     */
    private boolean catchUp(Admin admin, VerifyDeployment deployment, Chaos chaos, Progress progress)
            throws Exception {
        long deadline = System.nanoTime() + settings.catchUp().toNanos();
        Thread ticker = Thread.ofPlatform().daemon().name("ved-verify-progress").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                chaos.restartExitedAfterChaos();
                progress.tick(false);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            long catchUpStartMs = System.currentTimeMillis();
            quiesce(admin, deployment, deadline);
            awaitNoTransactionOpenSince(admin, deployment.runPrefix(), catchUpStartMs, deadline);
            quiesce(admin, deployment, deadline);
            progress.tick(true);
            return true;
        } catch (TimeoutException e) {
            out.println("  " + e.getMessage());
            return false;
        } finally {
            ticker.interrupt();
            ticker.join(1_000);
        }
    }

    /** Every application's group has handled everything in the inboxes it consumes. */
    private static void quiesce(Admin admin, VerifyDeployment deployment, long deadline) throws Exception {
        for (VerifyDeployment.Application app : deployment.applications()) {
            Quiescence.await(admin, app.id(), app.consumes(), remaining(deadline));
        }
    }

    private static void awaitNoTransactionOpenSince(Admin admin, String applicationId, long sinceMs, long deadline)
            throws Exception {
        List<TransactionState> open = List.of(TransactionState.ONGOING, TransactionState.PREPARE_ABORT,
                TransactionState.PREPARE_COMMIT);
        String stale = "";
        while (System.nanoTime() < deadline) {
            List<String> ids;
            try {
                ids = admin.listTransactions(new ListTransactionsOptions().filterStates(open)).all()
                        .get(10, TimeUnit.SECONDS).stream().map(TransactionListing::transactionalId)
                        .filter(id -> id.startsWith(applicationId + "-")).toList();
            } catch (java.util.concurrent.ExecutionException e) {
                // listTransactions asks every broker; right after a cluster node came back the admin client can fail
                // on the answer of the new incarnation ("Unexpected key set"): ask again
                stale = "(listing failed: " + e.getCause() + ")";
                Thread.sleep(500);
                continue;
            }
            if (ids.isEmpty()) {
                return;
            }
            Map<String, TransactionDescription> described = admin.describeTransactions(ids).all().get(10, TimeUnit.SECONDS);
            stale = described.entrySet().stream()
                    .filter(e -> open.contains(e.getValue().state())
                            && e.getValue().transactionStartTimeMs().orElse(Long.MAX_VALUE) < sinceMs)
                    .map(Map.Entry::getKey).collect(java.util.stream.Collectors.joining(", "));
            if (stale.isEmpty()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new TimeoutException("transactions still open since before the catch-up: " + stale);
    }

    /**
     * Kafka's EOS test's last check: once everything is handled, no transaction may be left hanging, so on every
     * partition Ved writes to the last stable offset (what read_committed readers reach) equals the high watermark.
     */
    private static Optional<String> hangingTransactions(Admin admin, VerifyDeployment deployment) throws Exception {
        List<String> topics = deployment.transactionalOutputs();
        Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((topic, description) ->
                description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()),
                        org.apache.kafka.clients.admin.OffsetSpec.latest())));
        var stable = admin.listOffsets(latest, new org.apache.kafka.clients.admin.ListOffsetsOptions(
                org.apache.kafka.common.IsolationLevel.READ_COMMITTED)).all().get(30, TimeUnit.SECONDS);
        var high = admin.listOffsets(latest, new org.apache.kafka.clients.admin.ListOffsetsOptions(
                org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED)).all().get(30, TimeUnit.SECONDS);
        List<String> hanging = high.entrySet().stream()
                .filter(e -> stable.get(e.getKey()).offset() != e.getValue().offset())
                .map(e -> e.getKey() + " (last stable offset " + stable.get(e.getKey()).offset() + ", high watermark "
                        + e.getValue().offset() + ")").sorted().toList();
        return hanging.isEmpty() ? Optional.empty()
                : Optional.of("transactions left hanging on " + hanging.size() + " partition(s): " + String.join(", ", hanging));
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }

    /** Per application, the highest consumer group generation any of its processes logged joining. */
    private Map<String, Long> latestGenerations() {
        Map<String, Long> latest = new java.util.HashMap<>();
        for (AppProcess app : apps) {
            if (!Files.exists(app.logFile())) {
                continue;
            }
            try (Stream<String> lines = Files.lines(app.logFile(), StandardCharsets.ISO_8859_1)) {
                long max = lines.filter(l -> l.contains("generationId=")).mapToLong(l -> {
                    Matcher m = GENERATION.matcher(l);
                    return m.find() ? Long.parseLong(m.group(1)) : 0;
                }).max().orElse(0);
                latest.merge(app.application().id(), max, Math::max);
            } catch (IOException | UncheckedIOException e) {
                // a log being written: the next look will do
            }
        }
        return latest;
    }

    /**
     * Per application, how far its group has rebalanced: the highest generation its processes logged joining (a
     * consumer group), or the group's epoch (a streams group, whose members log no generations).
     */
    private Map<String, Long> latestGenerations(Admin admin) {
        Map<String, Long> latest = latestGenerations();
        for (String group : new java.util.HashSet<>(apps.stream().map(a -> a.application().id()).toList())) {
            try {
                GroupView view = GroupView.describe(admin, group);
                if (view.streamsEpoch() >= 0) {
                    latest.put(group, (long) view.streamsEpoch());
                }
            } catch (Exception unavailable) {
                // the logs' count stands
            }
        }
        return latest;
    }

    /** Rebalances are the increments of each group's generation (or epoch). */
    private long rebalancesSince(Admin admin, Map<String, Long> before) {
        return latestGenerations(admin).entrySet().stream()
                .mapToLong(e -> Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L))).sum();
    }

    private void stopApps() {
        List<Thread> stopping = apps.stream().map(app -> Thread.ofPlatform().start(app::stop)).toList();
        for (Thread t : stopping) {
            try {
                t.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * On a broker the verifier did not start, a passing run leaves nothing behind: every topic of the run (its
     * inboxes and the runtime's own topics alike) starts with the application id.
     */
    private void deleteTopics(Admin admin, VerifyDeployment deployment) {
        List<String> topics = List.of();
        try {
            stopApps();
            topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(deployment::owns).toList();
            admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            out.println("  note: could not delete the run's topics (" + e.getMessage() + "): " + topics);
        }
        // Kafka Streams does not leave the group on close: its members expire after the session timeout
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                admin.deleteConsumerGroups(deployment.applications().stream().map(VerifyDeployment.Application::id).toList())
                        .all().get(10, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    out.println("  note: could not delete the consumer groups of " + deployment.runPrefix() + ": " + e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** A progress line every few seconds: sent, applied, lag, kills so far. */
    private final class Progress {
        private final VerifyPlan plan;
        private final Driver driver;
        private final Chaos chaos;
        private final Monitor monitor;
        private final LiveReader live;
        private final long start;
        private final String accountInbox;
        private long lastPrinted;

        Progress(VerifyPlan plan, Driver driver, Chaos chaos, Monitor monitor, LiveReader live, long start, String accountInbox) {
            this.live = live;
            this.plan = plan;
            this.accountInbox = accountInbox;
            this.driver = driver;
            this.chaos = chaos;
            this.monitor = monitor;
            this.start = start;
            this.lastPrinted = start;
        }

        synchronized void tick(boolean force) {
            long now = System.nanoTime();
            if (!force && now - lastPrinted < settings.progressEvery().toNanos()) {
                return;
            }
            lastPrinted = now;
            Optional<Monitor.Sample> sample = monitor.last();
            String applied = sample.map(s -> String.format("%,d", s.committedOn(accountInbox))).orElse("?");
            String lag = sample.map(s -> String.format("%,d", s.totalLag())).orElse("?");
            long up = apps.stream().filter(AppProcess::isAlive).count();
            long wanted = apps.stream().filter(AppProcess::wanted).count();
            int faults = chaos.counts().values().stream().mapToInt(Integer::intValue).sum();
            out.printf("  [%4.0f s] sent %,d/%,d  applied %s  audits read live %,d  mailbox lag %s  kills %d  faults %d  apps up %d/%d%n",
                    (now - start) / 1e9, driver.sent(), plan.messages(), applied, live.read(), lag, chaos.kills(), faults,
                    up, wanted);
            out.flush();
        }
    }
}
