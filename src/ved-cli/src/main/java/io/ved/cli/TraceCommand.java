package io.ved.cli;

import io.ved.envelope.MessageCodec;
import io.ved.envelope.registry.HttpSchemaRegistry;
import io.ved.runtime.topology.TopologyFile;
import io.ved.tooling.trace.TraceFormat;
import io.ved.tooling.trace.TraceHtml;
import io.ved.tooling.trace.TraceReader;
import io.ved.tooling.trace.TraceTree;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ved trace CORRELATION_ID}: the causal tree of one correlation, from the trace topic. */
@Command(name = "trace", mixinStandardHelpOptions = true, description = {
        "Prints the causal tree of a correlation from the trace topic: who sent what to whom, in causal order,",
        "with each message's outcomes (HANDLED, RETRY_SCHEDULED, DEFERRED, DEAD_LETTERED, QUARANTINED), reasons,",
        "hops, times and where it sat (topic/partition@offset). The correlation id is what 'ved send' prints.",
        "  ved trace 3f2a...                       the tree",
        "  ved trace 3f2a... --format mermaid      also json, dot",
        "  ved trace 3f2a... --html trace.html     a self-contained page drawing the graph",
        "  ved trace 3f2a... --message 9c1d...     only the chain from the root down to that message",
        "Exit code 2 when the correlation or message is unknown."})
final class TraceCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;
    @Mixin
    SecurityOptions security;
    @Mixin
    AppOptions app;
    @Parameters(paramLabel = "CORRELATION_ID", description = "the correlation to trace")
    String correlationId;
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "tree", description = "tree, json, mermaid or dot (default: ${DEFAULT-VALUE})")
    String format;
    @Option(names = "--html", paramLabel = "FILE", description = "also write a self-contained HTML page drawing the graph")
    Path html;
    @Option(names = "--message", paramLabel = "ID", description = "only the chain from the root down to this message (an id or its unique start)")
    String messageId;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", description = "how long to wait for the broker (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;
    @Spec
    CommandSpec spec;

    @SuppressWarnings("try") // the resource is held open for the read, not referenced
    @Override
    public Integer call() throws Exception {
        security.install();
        TraceFormat.Kind kind = kind(format);
        TopologyFile file = app.topologyFile();
        PrintWriter out = spec.commandLine().getOut();
        TraceReader.Result result;
        try (Admin ignored = KafkaAdmin.connect(connection);
             HttpSchemaRegistry registry = security.registry(connection.registry())) {
            result = new TraceReader(connection.bootstrap(), new MessageCodec(registry), Duration.ofSeconds(timeoutSeconds))
                    .read(file.traceTopic(), correlationId);
        } catch (TraceReader.NoSuchTopicException e) {
            throw new UserError("the trace topic " + file.traceTopic() + " does not exist on " + connection.bootstrap()
                    + ": has '" + file.application() + "' run here? ('ved topics apply' creates it)");
        }
        if (result.records().isEmpty()) {
            throw new UserError("no trace records for correlation " + correlationId + " in " + file.traceTopic()
                    + " (is the id right? trace records are kept for the topic's retention, and not written for domain types with trace: false)");
        }
        TraceTree tree = TraceTree.build(correlationId, result.records());
        if (messageId != null) {
            try {
                tree = tree.chainTo(tree.find(messageId));
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
        out.print(TraceFormat.render(tree, kind));
        if (result.undecodable() > 0) {
            spec.commandLine().getErr().println("ved: " + result.undecodable() + " trace record(s) of this correlation could not be decoded and are left out");
        }
        out.flush();
        if (html != null) {
            Path target = html.toAbsolutePath();
            if (target.getParent() != null) {
                Files.createDirectories(target.getParent());
            }
            Files.writeString(target, TraceHtml.render(tree));
            spec.commandLine().getErr().println("Wrote " + target + " (" + tree.messageCount() + " message(s)); open it in a browser.");
            spec.commandLine().getErr().flush();
        }
        return 0;
    }

    private static TraceFormat.Kind kind(String format) {
        try {
            return TraceFormat.Kind.valueOf(format.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError("unknown format '" + format + "': use one of "
                    + Arrays.stream(TraceFormat.Kind.values()).map(k -> k.name().toLowerCase(Locale.ROOT)).toList());
        }
    }
}
