package io.ved.cli;

import io.ved.tooling.stack.StackFile;
import io.ved.tooling.verify.Verifier;
import io.ved.tooling.verify.VerifyReport;
import io.ved.tooling.verify.VerifySettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ved verify}: the exactly-once verifier, with processes killed and the broker restarted under load. */
@Command(name = "verify", mixinStandardHelpOptions = true, description = {
        "Proves Ved's delivery guarantees under faults, as Kafka Streams' EOS system",
        "test does: starts a Kafka broker or cluster (processes) and a schema registry,",
        "runs a two-domain app as several 'ved run' processes and sends deposits at a",
        "steady rate, while kill -9'ing a random app process every few seconds and",
        "injecting the planned faults (broker kills, pauses, bounces, scale events,",
        "network black-holes); a read_committed reader checks the audits as they come;",
        "then it reads what Kafka committed and counts what was lost, duplicated or",
        "reordered. Exit code 0 only when none was, no transaction is left hanging,",
        "and every dead letter is explained. --cluster runs the full cluster profile."})
final class VerifyCommand implements Callable<Integer> {
    @Option(names = "--cluster", description = {
            "the cluster profile: 3 brokers, 100,000 deposits over 6.5 min, the accounts app scaled 1 -> 3 -> 2,",
            "at least 10 kills, 3 pauses, 2 broker kill -9s (leader, controller), a broker pause, a broker bounce,",
            "an app bounce, a network black-hole, audits in a second application, commits every second;",
            "about 10 minutes on 2 cores. Any option below overrides its part of the profile"})
    boolean cluster;
    @Option(names = "--messages", paramLabel = "N", description = "deposits to send (default: 20000; --cluster: 100000)")
    Integer messages;
    @Option(names = "--processes", paramLabel = "N",
            description = "app processes at the start (of the accounts' application) (default: 2; --cluster: 1)")
    Integer processes;
    @Option(names = "--scale", paramLabel = "N", split = ",", description = {
            "process counts to scale the accounts' application to, one event each, spread over the run:",
            "--scale 3,2 grows to 3 and shrinks to 2 (a shrink stops the newest process: SIGTERM, then kill -9)",
            "(default: none; --cluster: 3,2)"})
    List<Integer> scale;
    @Option(names = "--kills", paramLabel = "N",
            description = "kill -9's of an app process to do at least; a long run does more (default: 3; --cluster: 10)")
    Integer kills;
    @Option(names = "--bounces", paramLabel = "N",
            description = "clean stops (SIGTERM) and restarts of an app process (default: 0; --cluster: 1)")
    Integer bounces;
    @Option(names = "--pauses", paramLabel = "N",
            description = "SIGSTOPs of an app process for 14 s (past its session timeout), then SIGCONT (default: 0; --cluster: 3)")
    Integer pauses;
    @Option(names = "--network-faults", paramLabel = "N", description = {
            "black-holes of app process 0's connections to every broker for 14 s (accepted but silent, through a",
            "proxy on loopback), then restored (default: 0; --cluster: 1; none with --bootstrap)"})
    Integer networkFaults;
    @Option(names = "--cross-application", negatable = true,
            description = "run the audits in a second application, so every audit crosses applications (--cluster: on)")
    Boolean crossApplication;
    @Option(names = "--broker-restarts", paramLabel = "N",
            description = "kill -9's and restarts of a broker (default: 1; --cluster: 2; none with --bootstrap)")
    Integer brokerRestarts;
    @Option(names = "--broker-pauses", paramLabel = "N",
            description = "SIGSTOPs of a partition leader for 12 s, then SIGCONT (default: 0; --cluster: 1)")
    Integer brokerPauses;
    @Option(names = "--broker-bounces", paramLabel = "N",
            description = "controlled shutdowns and restarts of a partition leader (default: 0; --cluster: 1)")
    Integer brokerBounces;
    @Option(names = "--brokers", paramLabel = "N", description = {
            "Kafka nodes: 1, or a cluster (3: replication factor 3, min.insync.replicas 2), whose broker",
            "kills hit the leader of an inbox partition and the active controller in turn (default: 1; --cluster: 3)"})
    Integer brokers;
    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
            description = "how long to spread the deposits over, while the chaos runs: 90s, 10m, 1h (default: 90s; --cluster: 390s)")
    Duration duration;
    @Option(names = "--seed", paramLabel = "N", description = "seed of the deposits and the chaos (default: random, printed)")
    Long seed;
    @Option(names = "--accounts", paramLabel = "N", defaultValue = "0",
            description = "VerifyAccount instances (default: one per 100 deposits)")
    int accounts;
    @Option(names = "--audits", paramLabel = "N", defaultValue = "0", description = "VerifyAudit instances (default: one per 4 accounts)")
    int audits;
    @Option(names = "--partitions", paramLabel = "N", defaultValue = "6", description = "partitions per inbox (default: ${DEFAULT-VALUE})")
    int partitions;
    @Option(names = "--poison", paramLabel = "N", defaultValue = "-1",
            description = "deposits whose handler throws, each to end as one dead letter (default: one per 2,000)")
    int poison;
    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", arity = "0..1", fallbackValue = "",
            description = "use this broker instead of starting one (no broker restarts then); alone: the stack of 'ved up'")
    String bootstrap;
    @Option(names = "--registry", paramLabel = "URL",
            description = "use this schema registry instead of starting one (default with --bootstrap: the stack of 'ved up')")
    String registry;
    @Option(names = "--app-config", paramLabel = "KEY=VALUE",
            description = "a Kafka Streams setting for the app processes (ved run --config); repeatable (--cluster: commit.interval.ms=1000)")
    Map<String, String> appConfig = new LinkedHashMap<>();
    @Option(names = "--catch-up", paramLabel = "TIME", defaultValue = "5m", converter = DurationConverter.class,
            description = "how long the app may take to catch up after the chaos (default: ${DEFAULT-VALUE})")
    Duration catchUp;
    @Option(names = "--work-dir", paramLabel = "DIR", description = "broker data, app state and logs (default: .ved/verify/TIME)")
    Path workDir;
    /** With --bootstrap: the secured cluster's client settings, for the verifier's clients and its app processes. */
    @picocli.CommandLine.Mixin
    SecurityOptions security = new SecurityOptions();
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        VerifySettings settings = settings();
        security.install();
        VerifyReport report = new Verifier(settings, out).run();
        report.print(out);
        return report.passed() ? 0 : VedCli.FAILED;
    }

    /**
     * The run the options ask for: the cluster profile's or the CI defaults, each option given overriding its part.
     *
     * @throws UserError naming the option whose value is out of range
     */
    VerifySettings settings() {
        Path work = workDir != null ? workDir : StackFile.home().resolve(".ved/verify/"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        try {
            VerifySettings.Builder b = cluster ? VerifySettings.clusterProfile(work) : VerifySettings.builder(work);
            Optional.ofNullable(messages).ifPresent(b::messages);
            Optional.ofNullable(processes).ifPresent(b::processes);
            Optional.ofNullable(scale).ifPresent(b::scaleSteps);
            Optional.ofNullable(kills).ifPresent(b::kills);
            Optional.ofNullable(bounces).ifPresent(b::appBounces);
            Optional.ofNullable(pauses).ifPresent(b::pauses);
            Optional.ofNullable(networkFaults).ifPresent(b::networkFaults);
            Optional.ofNullable(crossApplication).ifPresent(b::crossApplication);
            Optional.ofNullable(brokerRestarts).ifPresent(b::brokerRestarts);
            Optional.ofNullable(brokerPauses).ifPresent(b::brokerPauses);
            Optional.ofNullable(brokerBounces).ifPresent(b::brokerBounces);
            Optional.ofNullable(brokers).ifPresent(b::brokers);
            Optional.ofNullable(duration).ifPresent(b::duration);
            if (!appConfig.isEmpty()) {
                Map<String, String> merged = new LinkedHashMap<>(b.build().appConfig());
                merged.putAll(appConfig);
                b.appConfig(merged);
            }
            return b.seed(seed != null ? seed : System.currentTimeMillis()).accounts(accounts).audits(audits)
                    .partitions(partitions).poison(poison).bootstrap(stackBootstrap()).registry(stackRegistry())
                    .catchUp(catchUp).clientConfig(Optional.ofNullable(security.commandConfig)).build();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    private Optional<String> stackBootstrap() {
        if (bootstrap == null) {
            return Optional.empty();
        }
        if (!bootstrap.isBlank()) {
            return Optional.of(bootstrap);
        }
        return Optional.of(StackFile.read().map(StackFile.Stack::bootstrapServers).orElseThrow(() -> new UserError(
                "--bootstrap without an address uses the stack of 'ved up', but none is up: run './ved up' or pass HOST:PORT")));
    }

    private Optional<String> stackRegistry() {
        if (registry != null) {
            return Optional.of(registry);
        }
        if (bootstrap == null) {
            return Optional.empty();
        }
        return Optional.of(StackFile.read().map(StackFile.Stack::registryUrl).orElse(ConnectionOptions.DEFAULT_REGISTRY));
    }

    /** 90s, 5m, 1h, 500ms, a bare number of seconds, or ISO-8601 (PT90S). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

        @Override
        public Duration convert(String value) {
            Matcher m = SIMPLE.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                return switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofSeconds(n);
                };
            }
            try {
                return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration: write e.g. 90s, 10m or 1h");
            }
        }
    }
}
