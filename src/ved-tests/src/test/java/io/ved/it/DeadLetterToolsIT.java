package io.ved.it;

import io.ved.runtime.KafkaVedSender;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ved.api.MessageId;
import io.ved.api.Sent;
import io.ved.api.VedSender;
import io.ved.cli.VedCli;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.MessageCodec;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import io.ved.testdomains.Append;
import io.ved.testdomains.RedriveDomain;
import io.ved.testdomains.LedgerState;
import io.ved.runtime.TopicReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ved dlq list and ved dlq redrive on the real stack: a garbage record and two handler failures (one sent with
 * a full envelope, one from a plain producer) are listed with their reasons; the garbage is refused and never
 * sent; the handler failures are redriven, handled this time, and carry the right chain on the wire.
 */
class DeadLetterToolsIT {
    private static final Pattern REDRIVEN = Pattern.compile("(?m)^(\\S+)\\s+redriven .*\\n\\s+new message id: (\\S+)$");

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n" + out + err;
        }
    }

    @Test
    void listsDeadLettersRefusesTheUndecodableAndRedrivesHandlerFailures() throws Exception {
        RealStack stack = RealStack.get();
        TopologyFile topology = TestTopologies.unique("topology/redrive.yaml", "dlq");
        String inbox = topology.require(RedriveDomain.TYPE).topic();
        String[] app = {"--bootstrap", stack.bootstrap(), "--registry", stack.registryUrl(),
                "--topology", writeTopology(topology).toString(), "--domains", RedriveDomain.class.getName()};
        try (RunningApp running = new RunningApp(stack, topology, RedriveDomain.domains());
             VedSender sender = KafkaVedSender.connect(stack.bootstrap(), running.registry(), topology, "/dlq-it");
             KafkaProducer<byte[], byte[]> producer = plainProducer(stack)) {
            running.start(dir.resolve("state"));
            assertThat(run(concat(new String[] {"dlq", "list"}, app)).out()).isEqualTo("no dead letters\n");

            producer.send(new ProducerRecord<>(inbox, bytes("f-1"), bytes("not avro at all"))).get();
            Sent withEnvelope = sender.send(RedriveDomain.TYPE.ref("f-2"), new Append(7L, false, null));
            RecordMetadata plain = producer.send(new ProducerRecord<>(inbox, bytes("f-3"),
                    new MessageCodec(running.registry()).encode(new Append(9L, false, null)))).get();
            running.awaitQuiet();

            // list: all three, with their reasons, then the count by reason
            Result table = run(concat(new String[] {"dlq", "list"}, app));
            assertThat(table.exit()).as(table.toString()).isZero();
            assertThat(table.out()).as(table.toString())
                    .containsPattern("UNDECODABLE\\s+-\\s+the value does not start with the wire-format magic byte 0")
                    .containsPattern("Append\\s+HANDLER_FAILED\\s+" + withEnvelope.correlationId()
                            + "\\s+IllegalStateException: entry 7 arrived without a cause")
                    .containsPattern("Append\\s+HANDLER_FAILED\\s+-\\s+IllegalStateException: entry 9 arrived without a cause")
                    .endsWith("3 dead letters: 2 HANDLER_FAILED, 1 UNDECODABLE\n");
            JsonNode json = new ObjectMapper().readTree(run(concat(new String[] {"dlq", "list", "--json"}, app)).out());
            Map<String, JsonNode> byKey = new HashMap<>();
            json.get("deadLetters").forEach(d -> byKey.put(d.get("key").asText(), d));
            assertThat(byKey).containsOnlyKeys("f-1", "f-2", "f-3");
            assertThat(byKey.get("f-1").get("reason").asText()).isEqualTo("UNDECODABLE");
            assertThat(byKey.get("f-1").get("messageType").asText()).isEqualTo("?");
            assertThat(byKey.get("f-2").get("reason").asText()).isEqualTo("HANDLER_FAILED");
            assertThat(byKey.get("f-2").get("messageId").asText()).isEqualTo(withEnvelope.id().value());
            assertThat(byKey.get("f-3").get("messageType").asText()).as("from the writer schema").isEqualTo("io.ved.testdomains.Append");
            assertThat(byKey.get("f-3").get("correlationId").isNull()).isTrue();
            String garbage = byKey.get("f-1").get("id").asText();
            String failed = byKey.get("f-2").get("id").asText();
            String failedPlain = byKey.get("f-3").get("id").asText();
            Result newest = run(concat(new String[] {"dlq", "list", "--domain", "RedriveDomain", "--limit", "1"}, app));
            assertThat(newest.out()).contains("(showing the newest 1 of 3; --limit 0 shows all)")
                    .contains("3 dead letters of RedriveDomain: 2 HANDLER_FAILED, 1 UNDECODABLE");

            // redrive of the garbage: refused with the reason, nothing sent
            long inboxBefore = TopicReader.readAll(stack.bootstrap(), List.of(inbox), RunningApp.WAIT).size();
            Result refused = run(concat(new String[] {"dlq", "redrive", garbage}, app));
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(VedCli.FAILED);
            assertThat(refused.out())
                    .containsPattern(garbage + "\\s+refused: UNDECODABLE: the value does not start with the wire-format magic byte 0")
                    .contains("0 of 1 redriven, 1 refused.");
            Result dryRun = run(concat(new String[] {"dlq", "redrive", "--all", "--dry-run"}, app));
            assertThat(dryRun.exit()).as(dryRun.toString()).isEqualTo(VedCli.FAILED);
            assertThat(dryRun.out()).containsPattern(failed + "\\s+would redrive RedriveDomain\\[f-2] Append -> " + Pattern.quote(inbox))
                    .contains("Dry run: 2 of 3 would be redriven, 1 refused; nothing was sent.");
            assertThat(TopicReader.readAll(stack.bootstrap(), List.of(inbox), RunningApp.WAIT)).hasSize((int) inboxBefore);
            Result unknown = run(concat(new String[] {"dlq", "redrive", "1-999"}, app));
            assertThat(unknown.exit()).isEqualTo(VedCli.USAGE_ERROR);
            assertThat(unknown.err()).contains("no dead letter 1-999 in " + topology.deadLetterTopic());

            // redrive of the handler failures: sent, handled this time
            Result redriven = run(concat(new String[] {"dlq", "redrive", failed, failedPlain}, app));
            assertThat(redriven.exit()).as(redriven.toString()).isZero();
            assertThat(redriven.out()).contains("2 of 2 redriven, 0 refused.");
            Map<String, String> newIds = new HashMap<>();
            Matcher m = REDRIVEN.matcher(redriven.out());
            while (m.find()) {
                newIds.put(m.group(1), m.group(2));
            }
            assertThat(newIds).as(redriven.out()).containsOnlyKeys(failed, failedPlain);
            running.awaitQuiet();

            Map<String, LedgerState> states = running.states(RedriveDomain.definition());
            assertThat(states.get("f-2").getEntries()).containsExactly(7L);
            assertThat(states.get("f-3").getEntries()).containsExactly(9L);

            // on the wire: a new message id, the same correlation, caused by the original, no ved_dlq_* headers
            List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readAll(stack.bootstrap(), List.of(inbox), RunningApp.WAIT);
            ConsumerRecord<byte[], byte[]> again = causedBy(records, withEnvelope.id());
            assertThat(text(again, EnvelopeHeaders.ID)).isEqualTo(newIds.get(failed)).isNotEqualTo(withEnvelope.id().value());
            assertThat(text(again, EnvelopeHeaders.CORRELATION_ID)).isEqualTo(withEnvelope.correlationId().value());
            assertThat(text(again, EnvelopeHeaders.HOPS)).isEqualTo("0");
            assertThat(text(again, EnvelopeHeaders.SOURCE)).isEqualTo("/dlq-it");
            assertThat(again.key()).isEqualTo(bytes("f-2"));
            for (Header h : again.headers()) {
                assertThat(h.key()).doesNotStartWith("ved_dlq_");
            }
            MessageId plainId = MessageId.derivedFrom(inbox, Integer.toString(plain.partition()), Long.toString(plain.offset()));
            ConsumerRecord<byte[], byte[]> plainAgain = causedBy(records, plainId);
            assertThat(text(plainAgain, EnvelopeHeaders.ID)).isEqualTo(newIds.get(failedPlain));
            assertThat(text(plainAgain, EnvelopeHeaders.CORRELATION_ID)).as("the correlation the original started")
                    .isEqualTo(plainId.value());

            Result after = run(concat(new String[] {"dlq", "list"}, app));
            assertThat(after.out()).as("redriven messages were handled: no new dead letters")
                    .endsWith("3 dead letters: 2 HANDLER_FAILED, 1 UNDECODABLE\n");
        }
    }

    private static ConsumerRecord<byte[], byte[]> causedBy(List<ConsumerRecord<byte[], byte[]>> records, MessageId cause) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (EnvelopeHeaders.text(r.headers(), EnvelopeHeaders.CAUSATION_ID).filter(cause.value()::equals).isPresent()) {
                found.add(r);
            }
        }
        assertThat(found).as("records caused by " + cause).hasSize(1);
        return found.get(0);
    }

    private static String text(ConsumerRecord<byte[], byte[]> record, String header) {
        return EnvelopeHeaders.text(record.headers(), header).orElse(null);
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = VedCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private Path writeTopology(TopologyFile file) throws Exception {
        StringBuilder yaml = new StringBuilder("application: " + file.application() + "\ndeadLetterTopic: "
                + file.deadLetterTopic() + "\nreplyTopic: " + file.replyTopic() + "\ntraceTopic: " + file.traceTopic()
                + "\ndomains:\n");
        for (DomainTopic d : file.domains()) {
            yaml.append("  - {type: ").append(d.type()).append(", topic: ").append(d.topic())
                    .append(", partitions: ").append(d.partitions())
                    .append(", retry: {maxAttempts: ").append(d.policy().retry().maxAttempts()).append("}}\n");
        }
        Path path = dir.resolve("topology.yaml");
        Files.writeString(path, yaml);
        return path;
    }

    private static KafkaProducer<byte[], byte[]> plainProducer(RealStack stack) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap()),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String[] concat(String[] command, String[] options) {
        String[] all = new String[command.length + options.length];
        System.arraycopy(command, 0, all, 0, command.length);
        System.arraycopy(options, 0, all, command.length, options.length);
        return all;
    }
}
