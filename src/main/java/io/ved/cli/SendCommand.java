package io.ved.cli;

import io.ved.api.Sent;
import io.ved.api.CorrelationId;
import io.ved.api.VedSender;
import io.ved.envelope.registry.HttpSchemaRegistry;
import io.ved.envelope.registry.SchemaRegistryException;
import io.ved.runtime.DomainCatalog;
import io.ved.tooling.send.CheckedSend;
import io.ved.tooling.send.MessageBuilder;
import io.ved.tooling.send.SendException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ved send 'InventoryDomain[88] ReleaseStock(item_id: "A12", qty: 1)'}: one message, checked before it leaves. */
@Command(name = "send", mixinStandardHelpOptions = true, description = {
        "Sends one message to a domain, in the Ved send syntax:",
        "  ved send 'InventoryDomain[88] ReleaseStock(item_id: \"A12\", qty: 1)'",
        "or with the message as JSON:",
        "  ved send --json 'InventoryDomain[88]' ReleaseStock '{\"item_id\": \"A12\", \"qty\": 1}'",
        "The message is checked against its Avro schema before anything connects. On success it prints the",
        "message id and correlation id."})
final class SendCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;
    @Mixin
    AppOptions app;
    @Option(names = "--json", description = "take TARGET TYPE JSON instead of the send syntax")
    boolean json;
    @Option(names = "--correlation", paramLabel = "ID", description = "join an existing correlation instead of starting one")
    String correlation;
    @Option(names = "--source", defaultValue = "/ved-cli", description = "who is sending, as a CloudEvents source (default: ${DEFAULT-VALUE})")
    String source;
    @Parameters(paramLabel = "MESSAGE", arity = "1..3", description = "the send text, or with --json: TARGET TYPE JSON")
    java.util.List<String> words;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CheckedSend send = check(app.catalog());
        PrintWriter out = spec.commandLine().getOut();
        try (Admin ignored = KafkaAdmin.connect(connection.bootstrap());
             HttpSchemaRegistry registry = new HttpSchemaRegistry(connection.registry());
             VedSender sender = VedSender.connect(connection.bootstrap(), registry, app.topologyFile(), source)) {
            Sent sent = correlation == null ? sender.send(send.target(), send.message())
                    : sender.send(send.target(), send.message(), new CorrelationId(correlation));
            out.printf("sent %s %s%n  message id:     %s%n  correlation id: %s%n  partition %d, offset %d%n",
                    send.target(), send.message().getSchema().getName(), sent.id(), sent.correlationId(),
                    sent.partition(), sent.offset());
            return 0;
        } catch (SchemaRegistryException e) {
            throw new UserError("the schema registry refused the message schema: " + e.getMessage());
        }
    }

    private CheckedSend check(DomainCatalog catalog) {
        MessageBuilder builder = new MessageBuilder(catalog);
        try {
            if (json) {
                if (words.size() != 3) {
                    throw new UserError("--json takes three arguments: TARGET TYPE JSON, e.g. 'InventoryDomain[88]' ReleaseStock '{\"item_id\": \"A12\", \"qty\": 1}'");
                }
                return builder.buildJson(words.get(0), words.get(1), words.get(2));
            }
            return builder.build(String.join(" ", words));
        } catch (SendException e) {
            throw new UserError(e.getMessage());
        }
    }
}
