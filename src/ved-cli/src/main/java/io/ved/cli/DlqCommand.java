package io.ved.cli;

import io.ved.api.DomainType;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.registry.HttpSchemaRegistry;
import io.ved.envelope.registry.RegistryUnavailableException;
import io.ved.runtime.topology.TopologyFile;
import io.ved.tooling.deadletter.DeadLetterId;
import io.ved.tooling.deadletter.DeadLetterListing;
import io.ved.tooling.deadletter.DeadLetterStore;
import io.ved.tooling.deadletter.Redriver;
import io.ved.tooling.deadletter.StoredDeadLetter;
import io.ved.tooling.deadletter.WriterTypes;
import io.ved.tooling.parked.Reinjector;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ved dlq list} and {@code ved dlq redrive}: the dead letters of the application, and sending them back. */
@Command(name = "dlq", mixinStandardHelpOptions = true, description = {
        "Lists the dead letters of the application and redrives them to their inbox.",
        "They are read from the topology file's deadLetterTopic; each is named by its",
        "PARTITION-OFFSET in that topic, e.g. 0-17."},
        subcommands = {DlqCommand.ListCommand.class, DlqCommand.RedriveCommand.class})
final class DlqCommand implements Runnable {
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    static final ParkedSelection DEAD_LETTERS = new ParkedSelection("dead letter", "dead letters", "redrive", "redriven",
            "ved dlq list", "dead-letter topic");

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {
            "Lists the dead letters, oldest first, then a count by reason.",
            "Each shows its id, time, domain, message type, reason, correlation id and",
            "error (cut to one line; --json gives everything in full)."})
    static final class ListCommand implements Callable<Integer> {
        @Mixin
        ConnectionOptions connection;
        @Mixin
        SecurityOptions security;
        @Mixin
        AppOptions app;
        @Option(names = "--domain", paramLabel = "TYPE", description = "only the dead letters of this domain type")
        String domain;
        @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
                description = "show the newest N (default: ${DEFAULT-VALUE}; 0: all); the counts cover all")
        int limit;
        @Option(names = "--json", description = "print JSON, with errors and headers in full")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            security.install();
            if (limit < 0) {
                throw new UserError("--limit must be 0 (all) or more, not " + limit);
            }
            TopologyFile file = app.topologyFile();
            Optional<DomainType> type = domainType(file, domain);
            String topic = file.deadLetterTopic();
            DEAD_LETTERS.requireTopic(connection.bootstrap(), topic);
            DeadLetterStore store;
            WriterTypes types;
            try (HttpSchemaRegistry registry = security.registry(connection.registry())) {
                types = new WriterTypes(new MessageCodec(registry));
                store = DeadLetterStore.read(connection.bootstrap(), topic, types, READ_TIMEOUT);
            }
            List<StoredDeadLetter> letters = store.of(type);
            PrintWriter out = spec.commandLine().getOut();
            if (!types.registryAnswered()) {
                spec.commandLine().getErr().println("ved: the schema registry at " + connection.registry()
                        + " did not answer: dead letters without a ce_type header show type '?'");
                spec.commandLine().getErr().flush();
            }
            out.print(json
                    ? DeadLetterListing.json(topic, domain, letters, limit, store.unreadable())
                    : DeadLetterListing.table(letters, limit, type.map(t -> " of " + t).orElse(""), store.unreadable()));
            out.flush();
            return 0;
        }
    }

    @Command(name = "redrive", mixinStandardHelpOptions = true, description = {
            "Sends dead letters back to their domain's inbox, if they would decode now.",
            "Each goes with its key and value as they were and its original envelope, but",
            "a new message id; same correlation id; the original message id as causation.",
            "First each is checked: a key, a schema id the registry knows, a message type",
            "its domain accepts. One that would fail again is refused and not sent.",
            "Exit code 0 when all were sent, 1 when any was refused. Redriving the same",
            "dead letter twice sends it twice, each time with a new message id."})
    static final class RedriveCommand implements Callable<Integer> {
        @Mixin
        ConnectionOptions connection;
        @Mixin
        SecurityOptions security;
        @Mixin
        AppOptions app;
        @Parameters(paramLabel = "ID", arity = "0..*", description = "dead letters to redrive, as 'ved dlq list' names them (e.g. 0-17)")
        List<String> ids = new ArrayList<>();
        @Option(names = "--all", description = "redrive every dead letter (of --domain, if given)")
        boolean all;
        @Option(names = "--domain", paramLabel = "TYPE", description = "with --all: only the dead letters of this domain type")
        String domain;
        @Option(names = "--dry-run", description = "check and show what would be sent; send nothing")
        boolean dryRun;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            security.install();
            List<DeadLetterId> wanted = parseIds();
            var catalog = app.catalog();
            TopologyFile file = catalog.topologyFile();
            Optional<DomainType> type = domainType(file, domain);
            String topic = file.deadLetterTopic();
            DEAD_LETTERS.requireTopic(connection.bootstrap(), topic);
            PrintWriter out = spec.commandLine().getOut();
            try (HttpSchemaRegistry registry = security.registry(connection.registry())) {
                MessageCodec codec = new MessageCodec(registry);
                DeadLetterStore store = DeadLetterStore.read(connection.bootstrap(), topic, new WriterTypes(codec), READ_TIMEOUT);
                List<StoredDeadLetter> chosen = all ? store.of(type) : DEAD_LETTERS.find(wanted, store::find, store.topic());
                if (chosen.isEmpty()) {
                    out.println("no dead letters" + type.map(t -> " of " + t).orElse(""));
                    return 0;
                }
                Redriver redriver = new Redriver(catalog, codec);
                List<Redriver.Plan> plans = new ArrayList<>();
                try {
                    chosen.forEach(letter -> plans.add(redriver.plan(letter)));
                } catch (RegistryUnavailableException e) {
                    throw new UserError("cannot check the dead letters: " + e.getMessage());
                }
                int refused = (int) plans.stream().filter(p -> p instanceof Redriver.Refused).count();
                if (dryRun) {
                    plans.forEach(p -> printPlan(out, p));
                    out.printf("Dry run: %d of %d would be redriven, %d refused; nothing was sent.%n",
                            plans.size() - refused, plans.size(), refused);
                } else {
                    int failed = send(out, connection.bootstrap(), plans);
                    out.printf("%d of %d redriven, %d refused%s.%n", plans.size() - refused - failed, plans.size(), refused,
                            failed == 0 ? "" : ", " + failed + " failed to send");
                    refused += failed;
                }
                out.flush();
                return refused == 0 ? 0 : VedCli.FAILED;
            }
        }

        private List<DeadLetterId> parseIds() {
            return DEAD_LETTERS.ids(ids, all, "--domain", domain, "domain", DeadLetterId::parse);
        }

        private static void printPlan(PrintWriter out, Redriver.Plan plan) {
            switch (plan) {
                case Redriver.Ready ready -> {
                    out.printf("%-6s would redrive %s %s -> %s%n", ready.source().id(), ready.target(),
                            simple(ready.messageType()), ready.topic());
                    printChain(out, ready, false);
                }
                case Redriver.Refused refused -> printRefused(out, refused);
            }
        }

        /** Sends every ready plan, then reports each in order; returns how many failed to send. */
        private static int send(PrintWriter out, String bootstrap, List<Redriver.Plan> plans) throws InterruptedException {
            List<Reinjector.Outcome> outcomes = Reinjector.send(bootstrap, "ved-dlq-redrive", plans.stream()
                    .map(p -> p instanceof Redriver.Ready ready ? ready.record() : null).toList());
            int failed = 0;
            for (int i = 0; i < plans.size(); i++) {
                switch (plans.get(i)) {
                    case Redriver.Refused refused -> printRefused(out, refused);
                    case Redriver.Ready ready -> {
                        if (DEAD_LETTERS.report(out, ready.source().id(), outcomes.get(i),
                                ready.target() + " " + simple(ready.messageType()), ready.topic())) {
                            printChain(out, ready, true);
                        } else {
                            failed++;
                        }
                    }
                }
            }
            return failed;
        }

        private static void printChain(PrintWriter out, Redriver.Ready ready, boolean sent) {
            String indent = ParkedSelection.INDENT;
            out.println(indent + "new message id: " + (sent ? ready.newId().value() : "(assigned when sent)"));
            out.println(indent + "correlation id: " + ready.envelope().correlation());
            out.println(indent + "causation id:   " + ready.envelope().causation().map(Object::toString).orElse("-"));
            if (!sent) {
                out.println(indent + "hops:           " + ready.envelope().hops());
            }
        }

        private static void printRefused(PrintWriter out, Redriver.Refused refused) {
            out.printf("%-6s refused: %s%n", refused.source().id(), refused.reason());
        }

        private static String simple(String fullName) {
            return fullName.substring(fullName.lastIndexOf('.') + 1);
        }
    }

    static Optional<DomainType> domainType(TopologyFile file, String name) {
        if (name == null) {
            return Optional.empty();
        }
        return file.domains().stream().map(d -> d.type()).filter(t -> t.name().equals(name)).findFirst()
                .or(() -> {
                    throw new UserError("unknown domain type " + name + ": topology '" + file.application()
                            + "' has " + file.typeNames());
                });
    }
}
