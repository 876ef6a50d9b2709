package io.ved.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.ved.api.DomainDefinition;
import io.ved.api.DomainRef;
import io.ved.envelope.AvroJson;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.registry.HttpSchemaRegistry;
import io.ved.runtime.DomainCatalog;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import io.ved.tooling.inspect.KeyPartition;
import io.ved.tooling.inspect.LogScanner;
import io.ved.runtime.StateReader;
import io.ved.runtime.lag.DeferredDepths;
import io.ved.runtime.lag.MailboxLag;
import io.ved.tooling.state.EndpointRegistry;
import io.ved.tooling.state.StateClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ved state 'InventoryDomain[88]'}: the live state, from the application instance that hosts it. */
@Command(name = "state", mixinStandardHelpOptions = true, description = {
        "Shows the live state of a domain instance, answered by whichever running instance of the application",
        "hosts it (Kafka Streams interactive queries through each instance's state endpoint; 'ved run' opens one",
        "on 127.0.0.1 and registers it in .ved/endpoints). Or, with --lag, how many messages wait in each mailbox",
        "partition: not yet read (lag), read but queued for a retry or by the throttle (deferred), held sends.",
        "  ved state 'InventoryDomain[88]'",
        "  ved state 'InventoryDomain[88]' --json > state.json     just the JSON (e.g. for 'ved replay --state')",
        "  ved state 'InventoryDomain[88]' --changelog             read it from the changelog topic instead",
        "  ved state --lag",
        "Exit code 2 when the instance has no state or is unknown."})
final class StateCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;
    @Mixin
    SecurityOptions security;
    @Mixin
    AppOptions app;
    @Parameters(paramLabel = "INSTANCE", arity = "0..1", description = "the instance, Type[id]")
    String target;
    @Option(names = "--endpoint", paramLabel = "HOST:PORT", description = "ask this state endpoint (default: those registered by 'ved run')")
    String endpoint;
    @Option(names = "--json", description = "print only the state as JSON")
    boolean json;
    @Option(names = "--avro-json", description = "print only the state in Avro's JSON encoding")
    boolean avroJson;
    @Option(names = "--changelog", description = "read the latest state from the changelog topic instead of asking the application")
    boolean changelog;
    @Option(names = "--lag", description = "show the mailbox lag per partition of each domain type")
    boolean lag;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "20", description = "how long to wait for an answer (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        security.install();
        PrintWriter out = spec.commandLine().getOut();
        if (lag) {
            if (target != null) {
                throw new UserError("--lag shows every mailbox; leave out the instance " + target);
            }
            return lag(out);
        }
        if (target == null) {
            throw new UserError("name an instance, e.g. ved state 'InventoryDomain[88]', or pass --lag");
        }
        DomainRef ref;
        try {
            ref = DomainRef.parse(target);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        TopologyFile file = app.topologyFile();
        if (file.domain(ref.type()).isEmpty()) {
            throw new UserError("unknown domain type " + ref.type() + "; the topology file has " + file.typeNames());
        }
        if (changelog) {
            return fromChangelog(ref, file, out);
        }
        List<String> endpoints = endpoint != null ? List.of(endpoint)
                : EndpointRegistry.live(file.application()).stream().map(EndpointRegistry.Entry::endpoint).toList();
        if (endpoints.isEmpty()) {
            throw new UserError("no running instance of " + file.application() + " has registered a state endpoint in "
                    + EndpointRegistry.directory() + ": start one with 'ved run', pass --endpoint HOST:PORT, or read the "
                    + "changelog with --changelog");
        }
        return fromEndpoints(ref, endpoints, out);
    }

    private int fromEndpoints(DomainRef ref, List<String> endpoints, PrintWriter out) throws InterruptedException {
        StateClient client = new StateClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        List<String> failures = new ArrayList<>();
        while (true) {
            for (String at : endpoints) {
                StateClient.Answer answer;
                try {
                    answer = client.fetch(at, ref, avroJson);
                } catch (IOException e) {
                    failures.add(at + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                    continue;
                }
                switch (answer.status()) {
                    case 200 -> {
                        print(out, ref, answer.body(), "answered by " + answer.answeredBy().orElse(at)
                                + answer.partition().map(p -> ", partition " + p).orElse(""));
                        return 0;
                    }
                    case 404 -> throw new UserError(errorOf(answer.body()));
                    default -> failures.add(at + ": HTTP " + answer.status() + " " + errorOf(answer.body()));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no state endpoint could answer for " + ref + " within " + timeoutSeconds
                        + " s: " + String.join("; ", failures.subList(Math.max(0, failures.size() - endpoints.size()), failures.size())));
            }
            Thread.sleep(500);
        }
    }

    private void print(PrintWriter out, DomainRef ref, String body, String where) {
        if (json || avroJson) {
            out.println(body.strip());
        } else {
            out.println(ref + " (" + where + "):");
            out.println(body.strip());
        }
        out.flush();
    }

    private static String errorOf(String body) {
        try {
            JsonNode node = AvroJson.MAPPER.readTree(body);
            return node.has("error") ? node.get("error").asText() : body;
        } catch (IOException e) {
            return body;
        }
    }

    @SuppressWarnings("try") // the resource is held open for the read, not referenced
    private int fromChangelog(DomainRef ref, TopologyFile file, PrintWriter out) throws Exception {
        DomainCatalog catalog = app.catalog();
        DomainDefinition<?> domain = catalog.local(ref.type()).orElseThrow(() -> new UserError(ref.type()
                + " is not one of the domains of " + app.describe() + ", so its state cannot be decoded here"));
        try (Admin ignored = KafkaAdmin.connect(connection);
             HttpSchemaRegistry registry = security.registry(connection.registry());
             LogScanner scanner = new LogScanner(connection.bootstrap(), Duration.ofSeconds(timeoutSeconds))) {
            String topic = StateReader.changelogTopic(file, domain);
            int partitions = scanner.partitions(topic);
            if (partitions == 0) {
                throw new UserError("the changelog " + topic + " does not exist: has " + file.application() + " run on this cluster?");
            }
            TopicPartition tp = new TopicPartition(topic, KeyPartition.of(ref.id(), partitions));
            byte[] key = ref.id().getBytes(StandardCharsets.UTF_8);
            byte[][] latest = {null};
            long[] versions = {0};
            scanner.scan(List.of(tp), Map.of(), Map.of(), r -> {
                if (r.key() != null && Arrays.equals(r.key(), key)) {
                    latest[0] = r.value();
                    versions[0]++;
                }
            });
            if (latest[0] == null) {
                throw new UserError(ref + " has no state in " + topic + ": it has handled no message (or the id is wrong)");
            }
            SpecificRecord state = new MessageCodec(registry).decode(latest[0], domain.stateClass());
            String text = avroJson ? AvroJson.toAvroJson(state) : AvroJson.toText(state);
            print(out, ref, text, "from " + topic + " partition " + tp.partition() + ", version " + versions[0]);
            return 0;
        }
    }

    private int lag(PrintWriter out) throws ExecutionException, InterruptedException {
        TopologyFile file = app.topologyFile();
        List<DomainTopic> inboxes = localInboxes(file);
        try (Admin admin = KafkaAdmin.connect(connection)) {
            Map<TopicPartition, Long> lags;
            try {
                lags = new MailboxLag(admin).byPartition(file.application(), inboxes.stream().map(DomainTopic::topic).toList());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                    throw new UserError("an inbox of " + file.application() + " does not exist on " + connection.bootstrap()
                            + ": create the topics with 'ved topics apply' (" + e.getCause().getMessage() + ")");
                }
                throw e;
            }
            Map<String, Map<Integer, Long>> deferred;
            Map<String, Map<Integer, Long>> held;
            String unavailable = null;
            try (DeferredDepths depths = DeferredDepths.connect(connection.bootstrap(), file.depthTopic())) {
                deferred = depths.latest();
                held = depths.heldSends();
            } catch (RuntimeException e) {
                deferred = Map.of();
                held = Map.of();
                unavailable = e.getMessage();
            }
            out.println("Mailbox lag of " + file.application() + " on " + connection.bootstrap()
                    + " (lag: committed messages not yet read; deferred: read, waiting in a retry or throttle queue;"
                    + " held: sends the throttle holds back):");
            if (unavailable != null) {
                out.println("(deferred and held counts unavailable, shown as 0: " + unavailable + ")");
            }
            for (DomainTopic inbox : inboxes) {
                Map<Integer, Long> byPartition = new TreeMap<>();
                lags.forEach((tp, l) -> {
                    if (tp.topic().equals(inbox.topic())) {
                        byPartition.put(tp.partition(), l);
                    }
                });
                Map<Integer, Long> waiting = deferred.getOrDefault(inbox.topic(), Map.of());
                Map<Integer, Long> holding = held.getOrDefault(inbox.topic(), Map.of());
                long total = byPartition.values().stream().mapToLong(Long::longValue).sum()
                        + waiting.values().stream().mapToLong(Long::longValue).sum();
                out.println();
                out.println(inbox.type() + " (" + inbox.topic() + "): " + total + " waiting");
                StringBuilder head = new StringBuilder("  partition");
                StringBuilder lagRow = new StringBuilder("  lag      ");
                StringBuilder deferredRow = new StringBuilder("  deferred ");
                StringBuilder heldRow = new StringBuilder("  held     ");
                byPartition.forEach((p, l) -> {
                    long d = waiting.getOrDefault(p, 0L);
                    long h = holding.getOrDefault(p, 0L);
                    int width = Math.max(Math.max(String.valueOf(p).length(), String.valueOf(l).length()),
                            Math.max(String.valueOf(d).length(), String.valueOf(h).length())) + 2;
                    head.append(String.format("%" + width + "d", p));
                    lagRow.append(String.format("%" + width + "d", l));
                    deferredRow.append(String.format("%" + width + "d", d));
                    heldRow.append(String.format("%" + width + "d", h));
                });
                out.println(head);
                out.println(lagRow);
                out.println(deferredRow);
                out.println(heldRow);
            }
            out.flush();
        }
        return 0;
    }

    /** The inboxes this application consumes: its own domain types (others in the topology file run elsewhere). */
    private List<DomainTopic> localInboxes(TopologyFile file) {
        try {
            DomainCatalog catalog = app.catalog();
            return file.domains().stream().filter(d -> catalog.local(d.type()).isPresent()).toList();
        } catch (UserError noDomains) {
            return file.domains();
        }
    }
}
