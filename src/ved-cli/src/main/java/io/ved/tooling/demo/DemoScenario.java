package io.ved.tooling.demo;

import io.ved.runtime.VedRuntime;
import io.ved.runtime.KafkaVedSender;
import io.ved.api.DomainRef;
import io.ved.api.Sent;
import io.ved.api.VedSender;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.registry.HttpSchemaRegistry;
import io.ved.example.BillingDomain;
import io.ved.example.ExampleApp;
import io.ved.example.InventoryDomain;
import io.ved.example.billing.BillingState;
import io.ved.example.billing.CancelOrder;
import io.ved.example.billing.Invoice;
import io.ved.example.billing.PlaceOrder;
import io.ved.example.inventory.InventoryState;
import io.ved.example.inventory.Restock;
import io.ved.runtime.deadletter.DeadLetter;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileReader;
import io.ved.tooling.inspect.LoggedMessage;
import io.ved.tooling.inspect.MessageLog;
import io.ved.runtime.StateReader;
import io.ved.runtime.TopicReader;
import io.ved.tooling.lag.Quiescence;
import io.ved.runtime.TopicPlan;
import io.ved.tooling.topics.TopicReconciler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The scripted scenario of {@code ved demo}, run against a broker and registry that are already up: creates
 * the topics, runs the example domains, sends orders that succeed, one that runs out of stock and one that is
 * cancelled, then prints what happened from the committed topics and the final states from the changelogs.
 */
public final class DemoScenario {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final String bootstrap;
    private final String registryUrl;
    private final Path stateDir;
    private final PrintWriter out;

    /** One scripted send and what it is meant to show. */
    record Step(String story, DomainRef target, SpecificRecord message) {
    }

    public DemoScenario(String bootstrap, String registryUrl, Path stateDir, PrintWriter out) {
        this.bootstrap = bootstrap;
        this.registryUrl = registryUrl;
        this.stateDir = stateDir;
        this.out = out;
    }

    static List<List<Step>> script() {
        DomainRef acme = BillingDomain.ref("acme");
        DomainRef globex = BillingDomain.ref("globex");
        return List.of(
                List.of(new Step("stock arrives: 10 x A12", InventoryDomain.ref("A12"), new Restock("A12", 10)),
                        new Step("stock arrives: 1 x B7", InventoryDomain.ref("B7"), new Restock("B7", 1))),
                List.of(new Step("acme orders 3 x A12 (fits the stock)", acme, new PlaceOrder("o-1", "A12", 3, 1250L)),
                        new Step("globex orders 5 x B7 (only 1 on hand)", globex, new PlaceOrder("o-2", "B7", 5, 990L)),
                        new Step("acme orders 2 x A12, to cancel it later", acme, new PlaceOrder("o-3", "A12", 2, 1250L)),
                        new Step("acme places o-1 again (a duplicate: no effect)", acme, new PlaceOrder("o-1", "A12", 3, 1250L))),
                List.of(new Step("acme cancels o-3 (its 2 x A12 go back)", acme, new CancelOrder("o-3"))));
    }

    /** Runs the scenario; returns true when the final states are the expected ones. */
    public boolean run() throws Exception {
        TopologyFile file = TopologyFileReader.readResource(ExampleApp.TOPOLOGY);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
             HttpSchemaRegistry registry = new HttpSchemaRegistry(registryUrl)) {
            new TopicReconciler(admin).apply(TopicPlan.topicsToCreate(file), List.of());
            out.println("Topics created: " + file.domains().stream().map(DomainTopic::topic).toList()
                    + ", " + file.deadLetterTopic() + ", " + file.replyTopic());
            try (VedRuntime ved = VedRuntime.builder().topology(file).domains(ExampleApp.domains()).bootstrapServers(bootstrap)
                    .schemaRegistry(registryUrl).stateDir(stateDir).streamsConfig("commit.interval.ms", 100).build()) {
                ved.start();
                if (!ved.awaitRunning(WAIT)) {
                    throw new IllegalStateException("the example application did not start within " + WAIT);
                }
                out.println("Example application running: BillingDomain and InventoryDomain (exactly_once_v2)");
                sendScript(file, registry, admin);
            }
            MessageCodec codec = new MessageCodec(registry);
            printAccount(MessageLog.read(bootstrap, file, codec, WAIT));
            return printStates(file, codec) & printDeadLetters(file);
        }
    }

    private void sendScript(TopologyFile file, HttpSchemaRegistry registry, Admin admin) throws Exception {
        List<String> inboxes = file.domains().stream().map(DomainTopic::topic).toList();
        try (VedSender sender = KafkaVedSender.connect(bootstrap, registry, file, "/ved-demo")) {
            out.println();
            out.println("Sending:");
            for (List<Step> phase : script()) {
                for (Step step : phase) {
                    Sent sent = sender.send(step.target(), step.message());
                    out.printf("  %-46s send %s %s   (correlation %s)%n", step.story(), step.target(),
                            step.message().getSchema().getName(), shortId(sent.correlationId().value()));
                }
                Quiescence.await(admin, file.application(), inboxes, WAIT);
            }
        }
    }

    private void printAccount(MessageLog log) {
        out.println();
        out.println("What happened (committed messages, one block per correlation, in causal order):");
        log.byCorrelation().forEach((correlation, messages) -> {
            out.println("  correlation " + shortId(correlation));
            for (LoggedMessage m : messages) {
                out.printf("    hop %d  %-22s -> %-22s %s %s%n", m.envelope().hops(), m.from(), m.envelope().subject(),
                        m.typeName(), m.message());
            }
        });
        out.flush();
    }

    private boolean printStates(TopologyFile file, MessageCodec codec) throws Exception {
        StateReader states = new StateReader(bootstrap, codec);
        Map<String, InventoryState> stock = states.states(file, InventoryDomain.definition(), WAIT);
        Map<String, BillingState> billing = states.states(file, BillingDomain.definition(), WAIT);
        out.println();
        out.println("Final states:");
        stock.forEach((id, s) -> out.printf("  InventoryDomain[%s]  on hand %d, reserved %s%n", id, s.getOnHand(), s.getReservations()));
        billing.forEach((id, s) -> out.printf("  BillingDomain[%s]  %s%n", id, s.getInvoices().values().stream()
                .sorted(java.util.Comparator.comparing(Invoice::getOrderId))
                .map(i -> i.getOrderId() + " " + i.getStatus() + (i.getReason() == null ? "" : " (" + i.getReason() + ")"))
                .collect(Collectors.joining(", "))));
        boolean expected = stock.get("A12") != null && stock.get("A12").getOnHand() == 7
                && stock.get("B7") != null && stock.get("B7").getOnHand() == 1
                && billing.get("acme") != null && billing.get("acme").getInvoices().size() == 2
                && billing.get("globex") != null && billing.get("globex").getInvoices().size() == 1;
        out.println(expected ? "The states are as expected: A12 7 on hand (3 reserved by o-1), B7 untouched, o-2 rejected, o-3 cancelled."
                : "UNEXPECTED final states: see above.");
        return expected;
    }

    private boolean printDeadLetters(TopologyFile file) throws Exception {
        List<DeadLetter> dead = TopicReader.readAll(bootstrap, List.of(file.deadLetterTopic()), WAIT).stream()
                .map(r -> DeadLetter.from(r.key(), r.value(), r.headers())).toList();
        out.println("Dead letters: " + (dead.isEmpty() ? "none" : dead.size()));
        dead.forEach(d -> out.println("  " + d.reason() + " " + d.error()));
        out.flush();
        return dead.isEmpty();
    }

    private static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }
}
