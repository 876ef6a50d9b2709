package io.ved.it;

import io.ved.runtime.KafkaVedSender;
import io.ved.api.Sent;
import io.ved.api.VedSender;
import io.ved.envelope.MessageCodec;
import io.ved.example.BillingDomain;
import io.ved.example.ExampleApp;
import io.ved.example.InventoryDomain;
import io.ved.example.billing.CancelOrder;
import io.ved.example.billing.PlaceOrder;
import io.ved.example.inventory.Restock;
import io.ved.internal.TraceOutcome;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileReader;
import io.ved.tooling.trace.TraceReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The example application run once on the real stack with orders that succeed, one that runs out of stock,
 * one that fails in its handler (an item id that is no domain id: retried, then dead-lettered) and a
 * cancellation; then stopped, so that trace and replay tests read what it left in Kafka. Shared by the tests
 * of one run, like {@link RealStack}.
 */
final class OrderScenario {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static OrderScenario instance;

    final Path topologyFile;
    final TopologyFile topology;
    Sent restockA12;
    Sent restockB7;
    Sent confirmed;
    Sent outOfStock;
    Sent failed;
    Sent cancel;

    private OrderScenario(Path topologyFile) {
        this.topologyFile = topologyFile;
        this.topology = TopologyFileReader.read(topologyFile);
    }

    static synchronized OrderScenario get() throws Exception {
        if (instance == null) {
            OrderScenario s = new OrderScenario(writeTopology(Files.createTempDirectory("ved-orders"), "orders"));
            s.run();
            instance = s;
        }
        return instance;
    }

    /** A copy of topology/example.yaml with topics of its own and short retry delays. */
    static Path writeTopology(Path dir, String name) {
        String p = name + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        Path file = dir.resolve(p + ".yaml");
        try {
            Files.writeString(file, """
                    application: %1$s-app
                    deadLetterTopic: %1$s.deadletters
                    replyTopic: %1$s.replies
                    traceTopic: %1$s.trace
                    defaults:
                      partitions: 6
                      replicationFactor: 1
                      retentionMs: 604800000
                      retry: {maxAttempts: 3, firstDelayMs: 100, maxDelayMs: 400}
                      writers: ved
                    domains:
                      - type: BillingDomain
                        topic: %1$s.billing.inbox
                      - type: InventoryDomain
                        topic: %1$s.inventory.inbox
                    """.formatted(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private void run() throws Exception {
        RealStack stack = RealStack.get();
        Path stateDir = Files.createTempDirectory("ved-orders-state");
        try (RunningApp app = new RunningApp(stack, topology, ExampleApp.domains());
             VedSender sender = KafkaVedSender.connect(stack.bootstrap(), app.registry(), topology, "/orders-it")) {
            app.start(stateDir);
            restockA12 = sender.send(InventoryDomain.ref("A12"), new Restock("A12", 10));
            restockB7 = sender.send(InventoryDomain.ref("B7"), new Restock("B7", 1));
            app.awaitQuiet();
            confirmed = sender.send(BillingDomain.ref("acme"), new PlaceOrder("o-1", "A12", 3, 1250L));
            outOfStock = sender.send(BillingDomain.ref("globex"), new PlaceOrder("o-2", "B7", 5, 990L));
            failed = sender.send(BillingDomain.ref("acme"), new PlaceOrder("o-3", "A[12", 1, 1250L));
            app.awaitQuiet();
            cancel = sender.send(BillingDomain.ref("acme"), new CancelOrder("o-1"));
            app.awaitQuiet();
            awaitOutcome(stack, app, failed, TraceOutcome.DEAD_LETTERED);
            awaitOutcome(stack, app, cancel, TraceOutcome.HANDLED);
            app.awaitQuiet();
        }
    }

    /** Retries run on a timer after the offset is committed, so lag alone does not tell that a failure is final. */
    private void awaitOutcome(RealStack stack, RunningApp app, Sent sent, TraceOutcome outcome) throws Exception {
        TraceReader reader = new TraceReader(stack.bootstrap(), new MessageCodec(app.registry()), Duration.ofSeconds(30));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            List<?> found = reader.read(topology.traceTopic(), sent.correlationId().value()).records().stream()
                    .filter(r -> r.getOutcome() == outcome).toList();
            if (!found.isEmpty()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no " + outcome + " trace record for " + sent + " within 60 s");
    }

    /** The connection and topology arguments of every CLI call against this scenario. */
    String[] args(String... command) {
        RealStack stack = RealStack.get();
        String[] common = {"--bootstrap", stack.bootstrap(), "--registry", stack.registryUrl(), "--topology", topologyFile.toString()};
        String[] all = new String[command.length + common.length];
        System.arraycopy(command, 0, all, 0, command.length);
        System.arraycopy(common, 0, all, command.length, common.length);
        return all;
    }
}
