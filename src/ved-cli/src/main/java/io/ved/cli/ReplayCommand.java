package io.ved.cli;

import io.ved.api.DomainDefinition;
import io.ved.api.DomainRef;
import io.ved.api.DomainType;
import io.ved.envelope.AvroJson;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.registry.HttpSchemaRegistry;
import io.ved.runtime.DomainCatalog;
import io.ved.runtime.Replayer;
import io.ved.tooling.inspect.LogScanner;
import io.ved.tooling.replay.DomainReplay;
import io.ved.tooling.replay.InstanceReplay;
import io.ved.tooling.replay.ReplayText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ved replay 'InventoryDomain[88]'}: re-runs the current handler code on an instance's messages and compares with live. */
@Command(name = "replay", mixinStandardHelpOptions = true, description = {
        "Re-reads an instance's messages from its inbox (committed records only) and re-runs the current handler",
        "code on them from the initial state (or --state FILE), printing each message and the state change it",
        "made. Then compares with what the live application did, message by message: the dead-letter topic, and",
        "the state store's changelog, which holds a state version per handled message (it is compacted, so old",
        "versions may be gone; those messages are checked by outcome only). Any difference is reported as",
        "nondeterminism or a code change, with the first message where they diverge.",
        "  ved replay 'InventoryDomain[88]'",
        "  ved replay 'InventoryDomain[88]' --from 120 --to 2026-11-27T09:00:00Z --state state.json",
        "  ved replay InventoryDomain --all          every instance, with progress and a summary",
        "--from/--to take an offset of the instance's inbox partition (--to inclusive) or a time (ISO-8601, UTC",
        "when no zone is given; --to exclusive). --state takes the state as JSON: Avro's JSON encoding, or plain",
        "JSON as 'ved state' prints it.",
        "Exit code 0 when the replay matches live, 3 when it differs, 2 for an unknown instance or bad input."})
final class ReplayCommand implements Callable<Integer> {
    static final int DIVERGED = 3;

    @Mixin
    ConnectionOptions connection;
    @Mixin
    SecurityOptions security;
    @Mixin
    AppOptions app;
    @Parameters(paramLabel = "INSTANCE", description = "the instance, Type[id]; with --all, the domain type")
    String target;
    @Option(names = "--from", paramLabel = "OFFSET|TIME", description = "start at this offset or time")
    String from;
    @Option(names = "--to", paramLabel = "OFFSET|TIME", description = "stop after this offset, or before this time")
    String to;
    @Option(names = "--state", paramLabel = "FILE", description = "start from this state (JSON) instead of the initial state")
    Path stateFile;
    @Option(names = "--all", description = "replay every instance of the domain type")
    boolean all;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60", description = "how long to wait for the broker (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        security.install();
        DomainCatalog catalog = app.catalog();
        DomainType type;
        String id = null;
        if (all) {
            String name = target.contains("[") ? target.substring(0, target.indexOf('[')).trim() : target.trim();
            try {
                type = DomainType.named(name);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        } else {
            try {
                DomainRef ref = DomainRef.parse(target);
                type = ref.type();
                id = ref.id();
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage() + (target.contains("[") ? "" : " (or pass --all to replay every instance of a type)"));
            }
        }
        DomainDefinition<?> domain = catalog.local(type).orElseThrow(() -> new UserError("unknown domain type " + type
                + ": the domains of " + app.describe() + " are " + catalog.localDomains().stream().map(d -> d.type().name()).toList()));
        DomainReplay.Range range = new DomainReplay.Range(bound(from, "--from"), bound(to, "--to"));
        return run(catalog, domain, id, range);
    }

    private <S extends SpecificRecord> int run(DomainCatalog catalog, DomainDefinition<S> domain, String id, DomainReplay.Range range)
            throws Exception {
        Optional<S> start = Optional.ofNullable(stateFile).map(f -> readState(f, domain.stateClass()));
        if (all && start.isPresent()) {
            throw new UserError("--state applies to one instance; it cannot be combined with --all");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Admin admin = KafkaAdmin.connect(connection);
             HttpSchemaRegistry registry = security.registry(connection.registry());
             LogScanner scanner = new LogScanner(connection.bootstrap(), Duration.ofSeconds(timeoutSeconds))) {
            MessageCodec codec = new MessageCodec(registry);
            try (Replayer<S> replayer = Replayer.of(domain, catalog, codec)) {
                DomainReplay<S> replay = new DomainReplay<>(scanner, admin, catalog.topologyFile(), replayer, codec);
                return all ? all(replay, domain, range, out) : one(replay, domain.type().ref(id), range, start, out);
            }
        } catch (DomainReplay.NothingToReplayException e) {
            throw new UserError(e.getMessage());
        }
    }

    private <S extends SpecificRecord> int one(DomainReplay<S> replay, DomainRef ref, DomainReplay.Range range, Optional<S> start,
                                               PrintWriter out) throws Exception {
        InstanceReplay.Result<S> result = replay.instance(ref.id(), range, start,
                where -> {
                    out.print(ReplayText.header(ref.toString(), where, start.isPresent()));
                    out.flush();
                },
                step -> {
                    out.print(ReplayText.step(step));
                    out.flush();
                });
        out.print(ReplayText.verdict(ref.toString(), result));
        out.flush();
        return result.diverges() ? DIVERGED : 0;
    }

    private <S extends SpecificRecord> int all(DomainReplay<S> replay, DomainDefinition<S> domain, DomainReplay.Range range,
                                               PrintWriter out) throws Exception {
        out.println("Replaying every " + domain.type() + " from " + replay.inboxTopic() + " ...");
        out.flush();
        long[] lastPrint = {System.nanoTime()};
        int[] lastPercent = {-1};
        DomainReplay.Summary summary = replay.all(range, p -> {
            boolean done = p.messages() >= p.total();
            if ((System.nanoTime() - lastPrint[0] >= 1_000_000_000L || done) && p.percent() != lastPercent[0]) {
                out.println(ReplayText.progress(p));
                out.flush();
                lastPrint[0] = System.nanoTime();
                lastPercent[0] = p.percent();
            }
        });
        out.print(ReplayText.summary(domain.type().name(), summary));
        out.flush();
        return summary.diverging().isEmpty() ? 0 : DIVERGED;
    }

    private static <S extends SpecificRecord> S readState(Path file, Class<S> stateClass) {
        try {
            return AvroJson.parse(Files.readString(file), stateClass);
        } catch (IOException e) {
            throw new UserError("cannot read --state " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UserError("--state " + file + " is not a " + stateClass.getSimpleName() + ": " + e.getMessage());
        }
    }

    /** An offset (digits) or a time: ISO-8601 instant or offset date-time, or a local date-time / date read as UTC. */
    static Optional<DomainReplay.Bound> bound(String text, String option) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim();
        if (t.matches("\\d+")) {
            return Optional.of(DomainReplay.Bound.offset(Long.parseLong(t)));
        }
        try {
            return Optional.of(DomainReplay.Bound.time(Instant.parse(t).toEpochMilli()));
        } catch (DateTimeParseException notInstant) {
            try {
                return Optional.of(DomainReplay.Bound.time(OffsetDateTime.parse(t).toInstant().toEpochMilli()));
            } catch (DateTimeParseException notOffset) {
                try {
                    return Optional.of(DomainReplay.Bound.time(LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli()));
                } catch (DateTimeParseException notLocal) {
                    try {
                        return Optional.of(DomainReplay.Bound.time(LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()));
                    } catch (DateTimeParseException e) {
                        throw new UserError(option + " '" + text + "' is neither an offset nor a time such as 2026-11-27T09:00:00Z");
                    }
                }
            }
        }
    }
}
