package io.ved.cli;

import io.ved.runtime.KafkaVedSender;
import io.ved.api.Backpressure;
import io.ved.api.BackpressureException;
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
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        "message id and correlation id.",
        "",
        "With --high-water N it first looks at the target's mailbox depth (the",
        "application's consumer lag on the target's inbox) and, while more than N",
        "messages wait there, refuses with one line and exit code 4 (--on-full",
        "refuse, the default) or waits for the depth to fall to N (--on-full wait,",
        "at most --max-wait, then exit code 4)."})
final class SendCommand implements Callable<Integer> {
    /** The exit code of a send held back by backpressure: nothing was sent; try again later. */
    static final int MAILBOX_FULL = 4;
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h)?");

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
    @Option(names = "--high-water", paramLabel = "N",
            description = "hold the message back while more than N messages wait in the target domain type's mailboxes")
    Long highWater;
    @Option(names = "--per-partition", description = "with --high-water: N counts the target's inbox partition, not the whole type")
    boolean perPartition;
    @Option(names = "--on-full", paramLabel = "refuse|wait",
            description = "with --high-water: refuse at once (exit code 4), or wait for room (default: refuse)")
    String onFull;
    @Option(names = "--max-wait", paramLabel = "DURATION",
            description = "with --on-full wait: the longest wait, e.g. 30s, 500ms, 2m (default: 30s)")
    String maxWait;
    @Parameters(paramLabel = "MESSAGE", arity = "1..3", description = "the send text, or with --json: TARGET TYPE JSON")
    java.util.List<String> words;
    @Spec
    CommandSpec spec;

    @Mixin
    SecurityOptions security;

    private HttpSchemaRegistry configuredRegistry(java.util.Map<String, Object> clientConfig) {
        try {
            return HttpSchemaRegistry.configured(connection.registry(), clientConfig);
        } catch (IllegalArgumentException e) {
            throw new UserError("--command-config: " + e.getMessage());
        }
    }

    @SuppressWarnings("try") // the admin client only proves the broker answers before anything is sent
    @Override
    public Integer call() {
        Backpressure backpressure = backpressure();
        CheckedSend send = check(app.catalog());
        PrintWriter out = spec.commandLine().getOut();
        java.util.Map<String, Object> clientConfig = security.clientConfig();
        try (Admin ignored = KafkaAdmin.connect(connection, security);
             HttpSchemaRegistry registry = configuredRegistry(clientConfig);
             VedSender sender = backpressure == null
                     ? KafkaVedSender.connect(connection.bootstrap(), registry, app.topologyFile(), source, clientConfig)
                     : KafkaVedSender.connect(connection.bootstrap(), registry, app.topologyFile(), source, backpressure, clientConfig)) {
            Sent sent = correlation == null ? sender.send(send.target(), send.message())
                    : sender.send(send.target(), send.message(), new CorrelationId(correlation));
            out.printf("sent %s %s%n  message id:     %s%n  correlation id: %s%n  partition %d, offset %d%n",
                    send.target(), send.message().getSchema().getName(), sent.id(), sent.correlationId(),
                    sent.partition(), sent.offset());
            return 0;
        } catch (SchemaRegistryException e) {
            throw new UserError("the schema registry refused the message schema: " + e.getMessage());
        } catch (BackpressureException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("ved: " + e.getMessage());
            err.flush();
            return MAILBOX_FULL;
        }
    }

    /** The backpressure the options ask for; null without --high-water. */
    private Backpressure backpressure() {
        if (highWater == null) {
            if (onFull != null || maxWait != null || perPartition) {
                throw new UserError("--on-full, --max-wait and --per-partition go with --high-water N");
            }
            return null;
        }
        if (highWater < 0) {
            throw new UserError("--high-water must be 0 or more, not " + highWater);
        }
        String mode = onFull == null ? "refuse" : onFull.strip().toLowerCase(Locale.ROOT);
        Backpressure chosen = switch (mode) {
            case "refuse" -> {
                if (maxWait != null) {
                    throw new UserError("--max-wait goes with --on-full wait");
                }
                yield Backpressure.refuseAbove(highWater);
            }
            case "wait" -> Backpressure.waitBelow(highWater, maxWait == null ? Duration.ofSeconds(30) : duration(maxWait));
            default -> throw new UserError("--on-full takes refuse or wait, not '" + onFull + "'");
        };
        return perPartition ? chosen.perPartition() : chosen;
    }

    /** 30s, 500ms, 1.5s, 2m, 1h, or an ISO-8601 duration such as PT30S; a bare number is seconds. */
    static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            try {
                return Duration.parse(text.strip());
            } catch (java.time.format.DateTimeParseException e) {
                throw new UserError("--max-wait '" + text + "' is not a duration such as 30s, 500ms or 2m");
            }
        }
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) {
            throw new UserError("--max-wait '" + text + "' is not a duration such as 30s, 500ms or 2m");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> amount;
            case "s" -> amount * 1000;
            case "m", "min" -> amount * 60_000;
            default -> amount * 3_600_000;
        };
        return Duration.ofMillis(Math.round(millis));
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
