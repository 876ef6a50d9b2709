package io.ved.cli;

import io.ved.runtime.topology.TopologyFile;
import io.ved.tooling.parked.Reinjector;
import io.ved.tooling.storm.QuarantineStore;
import io.ved.tooling.storm.Releaser;
import io.ved.tooling.storm.StormId;
import io.ved.tooling.storm.StormListing;
import io.ved.tooling.storm.StoredQuarantine;
import java.io.PrintWriter;
import java.nio.file.Path;
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

/** {@code ved storms} and {@code ved storms release}: what storm protection stopped, and sending it back after a fix. */
@Command(name = "storms", mixinStandardHelpOptions = true, description = {
        "Lists the messages storm protection quarantined, grouped by the loop they",
        "were part of (or by reason, for those past the hop limit): the loop, how",
        "many, which domains and message types, first and last time, correlations",
        "and why, then each message. They are read with read_committed from the",
        "topology file's stormTopic; each is named by its PARTITION-OFFSET there,",
        "e.g. 0-17, which is what 'ved storms release' takes."},
        subcommands = {StormsCommand.ReleaseCommand.class})
final class StormsCommand implements Callable<Integer> {
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    static final ParkedSelection STORMS = new ParkedSelection("quarantined message", "quarantined messages", "release",
            "released", "ved storms", "storm topic");

    @Mixin
    ConnectionOptions connection;
    @Mixin
    SecurityOptions security;
    @Option(names = "--topology", paramLabel = "FILE", description = "the topology file (default: topology/example.yaml)")
    Path topology;
    @Option(names = "--json", description = "print JSON, with every message's envelope ids and origin")
    boolean json;
    @Option(names = "--cycle", paramLabel = "TEXT", description = "only the loops (or reasons) whose text contains TEXT, e.g. PingDomain")
    String cycle;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        security.install();
        TopologyFile file = topologyFile(topology);
        STORMS.requireTopic(connection.bootstrap(), file.stormTopic());
        QuarantineStore store = QuarantineStore.read(connection.bootstrap(), file.stormTopic(), READ_TIMEOUT);
        List<StoredQuarantine> shown = store.matching(Optional.ofNullable(cycle));
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? StormListing.json(store.topic(), shown, store.unreadable()) : StormListing.table(shown, store.unreadable()));
        out.flush();
        return 0;
    }

    @Command(name = "release", mixinStandardHelpOptions = true, description = {
            "Re-injects quarantined messages into their inbox, once the loop or",
            "runaway chain is fixed. Each goes with its key, value bytes and envelope",
            "as they were, as a new start: a new message id, the same correlation id,",
            "the quarantined message's id as causation, hops reset to 0 and no loop",
            "trail (else it would be quarantined again at once). Prints the new",
            "message ids. Exit code 0 when all were released, 1 when any could not be,",
            "2 for an id that is not in the storm topic (then nothing is sent).",
            "Releasing one twice sends it twice."})
    static final class ReleaseCommand implements Callable<Integer> {
        @Mixin
        ConnectionOptions connection;
        @Mixin
        SecurityOptions security;
        @Option(names = "--topology", paramLabel = "FILE", description = "the topology file (default: topology/example.yaml)")
        Path topology;
        @Parameters(paramLabel = "ID", arity = "0..*", description = "quarantined messages to release, as 'ved storms' names them (e.g. 0-17)")
        List<String> ids = new ArrayList<>();
        @Option(names = "--all", description = "release every quarantined message (of --cycle, if given)")
        boolean all;
        @Option(names = "--cycle", paramLabel = "TEXT", description = "with --all: only those whose loop (or reason) contains TEXT")
        String cycle;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            security.install();
            List<StormId> wanted = parseIds();
            TopologyFile file = topologyFile(topology);
            STORMS.requireTopic(connection.bootstrap(), file.stormTopic());
            QuarantineStore store = QuarantineStore.read(connection.bootstrap(), file.stormTopic(), READ_TIMEOUT);
            List<StoredQuarantine> chosen = all ? store.matching(Optional.ofNullable(cycle)) : STORMS.find(wanted, store::find, store.topic());
            PrintWriter out = spec.commandLine().getOut();
            if (chosen.isEmpty()) {
                out.println("no quarantined messages" + (cycle == null ? "" : " in a loop matching '" + cycle + "'"));
                out.flush();
                return 0;
            }
            Releaser releaser = new Releaser(file);
            List<Releaser.Plan> plans = chosen.stream().map(releaser::plan).toList();
            int failed = send(out, connection.bootstrap(), plans);
            out.printf("%d of %d released%s.%n", plans.size() - failed, plans.size(), failed == 0 ? "" : ", " + failed + " not");
            out.flush();
            return failed == 0 ? 0 : VedCli.FAILED;
        }

        private List<StormId> parseIds() {
            return STORMS.ids(ids, all, "--cycle", cycle, "loop", StormId::parse);
        }

        /** Sends every ready plan, then reports each in order; returns how many were not released. */
        private static int send(PrintWriter out, String bootstrap, List<Releaser.Plan> plans) throws InterruptedException {
            List<Reinjector.Outcome> outcomes = Reinjector.send(bootstrap, "ved-storms-release", plans.stream()
                    .map(p -> p instanceof Releaser.Ready ready ? ready.record() : null).toList());
            int failed = 0;
            for (int i = 0; i < plans.size(); i++) {
                switch (plans.get(i)) {
                    case Releaser.Refused refused -> {
                        failed++;
                        out.printf("%-6s not released: %s%n", refused.source().id(), refused.reason());
                    }
                    case Releaser.Ready ready -> {
                        if (STORMS.report(out, ready.source().id(), outcomes.get(i),
                                ready.source().target() + " " + ready.source().simpleMessageType(), ready.topic())) {
                            out.println(ParkedSelection.INDENT + "new message id: " + ready.newId().value());
                            out.println(ParkedSelection.INDENT + "correlation id: " + ready.correlationId());
                            out.println(ParkedSelection.INDENT + "causation id:   " + ready.causationId());
                        } else {
                            failed++;
                        }
                    }
                }
            }
            return failed;
        }
    }

    /** The topology file named, else the default one, as the other commands find it. */
    static TopologyFile topologyFile(Path file) {
        AppOptions app = new AppOptions();
        app.topology = file;
        return app.topologyFile();
    }
}
