package io.ved.cli;

import io.ved.tooling.demo.DemoScenario;
import io.ved.tooling.demo.StormScenario;
import io.ved.tooling.stack.EmbeddedKafka;
import io.ved.tooling.stack.LocalRegistry;
import io.ved.tooling.stack.StackFile;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ved demo}: the whole example on a throwaway stack, then everything stopped. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = {
        "Starts a Kafka broker and a schema registry, runs the example domains, sends a scripted scenario",
        "(orders that succeed, one that runs out of stock, one cancellation), prints what happened and the",
        "final states, then stops everything it started.",
        "",
        "'ved demo storm' runs the storm example instead (topology/storm.yaml): a",
        "ping-pong loop, a fan-out bomb, a 50-hop relay and ordinary traffic at",
        "once. It shows the loop quarantined, the fan-out throttled and drained,",
        "the relay passing and the rest carrying on, and exits 0 when all held."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "SCENARIO", arity = "0..1", description = "'storm' for the storm protection demo (default: the order example)")
    String scenario;

    @Override
    public Integer call() throws Exception {
        boolean storm = scenario != null;
        if (storm && !scenario.equals("storm")) {
            throw new UserError("unknown demo '" + scenario + "': 'ved demo' runs the order example, 'ved demo storm' the storm protection demo");
        }
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        Path work = Files.createTempDirectory("ved-demo");
        out.println("Starting Kafka 4.4.0 (KRaft, in this process) and Apicurio Registry " + LocalRegistry.VERSION + " ...");
        out.flush();
        boolean ok;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().logDir(work.resolve("kafka")).deleteOnClose(true).start();
             LocalRegistry registry = LocalRegistry.start(LocalRegistry.ensureDistribution(), work.resolve("registry"))) {
            out.printf("  Kafka on %s, schema registry at %s (%.1f s)%n", kafka.bootstrapServers(), registry.ccompatUrl(),
                    (System.nanoTime() - t0) / 1e9);
            ok = storm
                    ? new StormScenario(kafka.bootstrapServers(), registry.ccompatUrl(), work.resolve("state"), out).run()
                    : new DemoScenario(kafka.bootstrapServers(), registry.ccompatUrl(), work.resolve("state"), out).run();
        } finally {
            StackFile.deleteTree(work);
        }
        out.printf("%nStopped the broker and the registry. Demo %s in %.1f s.%n", ok ? "completed" : "FAILED",
                (System.nanoTime() - t0) / 1e9);
        return ok ? 0 : VedCli.FAILED;
    }
}
