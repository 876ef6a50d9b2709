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
        "test does: starts a Kafka broker (a process) and a schema registry, runs a",
        "two-domain app as several 'ved run' processes and sends deposits at a steady",
        "rate, while kill -9'ing a random app process every few seconds and restarting",
        "the broker; then reads what Kafka committed and counts what was lost,",
        "duplicated or reordered. Exit code 0 only when none was, and every dead",
        "letter is explained."})
final class VerifyCommand implements Callable<Integer> {
    @Option(names = "--messages", paramLabel = "N", defaultValue = "20000", description = "deposits to send (default: ${DEFAULT-VALUE})")
    int messages;
    @Option(names = "--processes", paramLabel = "N", defaultValue = "2", description = "app processes (default: ${DEFAULT-VALUE})")
    int processes;
    @Option(names = "--kills", paramLabel = "N", defaultValue = "3",
            description = "kill -9's of an app process to do at least; a long run does more (default: ${DEFAULT-VALUE})")
    int kills;
    @Option(names = "--broker-restarts", paramLabel = "N", defaultValue = "1",
            description = "kill -9's and restarts of the broker (default: ${DEFAULT-VALUE}; none with --bootstrap)")
    int brokerRestarts;
    @Option(names = "--brokers", paramLabel = "N", defaultValue = "1", description = {
            "Kafka nodes: 1, or a cluster (3: replication factor 3, min.insync.replicas 2), whose broker",
            "restarts kill -9 the leader of an inbox partition and the active controller in turn (default: ${DEFAULT-VALUE})"})
    int brokers;
    @Option(names = "--pauses", paramLabel = "N", defaultValue = "0",
            description = "SIGSTOPs of an app process for 14 s (past its session timeout), then SIGCONT (default: ${DEFAULT-VALUE})")
    int pauses;
    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "90s", converter = DurationConverter.class,
            description = "how long to spread the deposits over, while the chaos runs: 90s, 10m, 1h (default: ${DEFAULT-VALUE})")
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
            description = "a Kafka Streams setting for the app processes (ved run --config); repeatable")
    Map<String, String> appConfig = new LinkedHashMap<>();
    @Option(names = "--catch-up", paramLabel = "TIME", defaultValue = "5m", converter = DurationConverter.class,
            description = "how long the app may take to catch up after the chaos (default: ${DEFAULT-VALUE})")
    Duration catchUp;
    @Option(names = "--work-dir", paramLabel = "DIR", description = "broker data, app state and logs (default: .ved/verify/TIME)")
    Path workDir;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path work = workDir != null ? workDir : StackFile.home().resolve(".ved/verify/"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        VerifySettings settings;
        try {
            settings = VerifySettings.defaults(work)
                    .withMessages(messages).withProcesses(processes).withKills(kills).withBrokerRestarts(brokerRestarts)
                    .withDuration(duration).withSeed(seed != null ? seed : System.currentTimeMillis())
                    .withInstances(accounts, audits).withPartitions(partitions).withPoison(poison)
                    .withStack(stackBootstrap(), stackRegistry()).withAppConfig(appConfig).withCatchUp(catchUp)
                    .withCluster(brokers, pauses);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        VerifyReport report = new Verifier(settings, out).run();
        report.print(out);
        return report.passed() ? 0 : VedCli.FAILED;
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
