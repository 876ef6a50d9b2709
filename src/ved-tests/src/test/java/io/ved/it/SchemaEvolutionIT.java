package io.ved.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ved.cli.VedCli;
import io.ved.envelope.WireFormat;
import io.ved.envelope.registry.IncompatibleSchemaException;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import io.ved.testdomains.LedgerState;
import io.ved.testdomains.evolution.Measure;
import io.ved.testdomains.evolution.Reading;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema evolution against the real registry: a message written with an older compatible version is read;
 * an incompatible version is refused once the subject's compatibility is set, and ved send says so.
 */
class SchemaEvolutionIT {
    private static final String SUBJECT = Measure.getClassSchema().getFullName();
    private static final Schema VERSION_1 = new Schema.Parser().parse("""
            {"type": "record", "name": "Measure", "namespace": "io.ved.testdomains.evolution",
             "fields": [{"name": "value", "type": "long"}]}""");

    @TempDir
    Path dir;

    @Test
    void aMessageWrittenWithTheOlderVersionIsReadWithTheDefaultsOfTheNewOne() throws Exception {
        RealStack stack = RealStack.get();
        try (RunningApp app = new RunningApp(stack, topology("evolution"), EvolutionApp.domains())) {
            int v1 = app.registry().register(SUBJECT, VERSION_1);
            app.start(dir.resolve("state"));
            try (KafkaProducer<byte[], byte[]> producer = producer(stack)) {
                producer.send(new ProducerRecord<>(inbox(app), "s-1".getBytes(StandardCharsets.UTF_8),
                        WireFormat.frame(v1, avro(VERSION_1, 42L)))).get();
            }
            app.awaitQuiet();

            Map<String, LedgerState> states = app.states(scaleDomain());
            assertThat(states.get("s-1").getEntries()).containsExactly(42L);
        }
    }

    @Test
    void anIncompatibleVersionIsRefusedAndVedSendReportsIt() throws Exception {
        RealStack stack = RealStack.get();
        try (RunningApp app = new RunningApp(stack, topology("evolution-refused"), EvolutionApp.domains())) {
            app.registry().setCompatibility(SUBJECT, "BACKWARD");
            app.registry().register(SUBJECT, Measure.getClassSchema());
            Schema breaking = new Schema.Parser().parse("""
                    {"type": "record", "name": "Measure", "namespace": "io.ved.testdomains.evolution",
                     "fields": [{"name": "value", "type": "long"}, {"name": "sensor", "type": "string"}]}""");
            assertThatThrownBy(() -> app.registry().register(SUBJECT, breaking))
                    .isInstanceOf(IncompatibleSchemaException.class)
                    .hasMessageContaining(SUBJECT);

            // Someone registered a Reading without 'value' under BACKWARD: the CLI's compiled Reading (which
            // needs 'value') cannot read that data, so the registry must refuse it.
            String reading = Reading.getClassSchema().getFullName();
            app.registry().setCompatibility(reading, "BACKWARD");
            app.registry().register(reading, new Schema.Parser().parse("""
                    {"type": "record", "name": "Reading", "namespace": "io.ved.testdomains.evolution",
                     "fields": [{"name": "grams", "type": "long"}]}"""));
            Path topologyFile = writeTopology(app.topology());
            StringWriter err = new StringWriter();
            var cli = VedCli.commandLine();
            cli.setErr(new PrintWriter(err));
            cli.setOut(new PrintWriter(new StringWriter()));
            int exit = cli.execute("send", "--bootstrap", stack.bootstrap(), "--registry", stack.registryUrl(),
                    "--topology", topologyFile.toString(), "--domains", EvolutionApp.ReadingOnly.class.getName(),
                    "ScaleDomain[s-9] Reading(value: 5)");

            assertThat(exit).isEqualTo(2);
            assertThat(err.toString()).startsWith("ved: the schema registry refused the message schema:")
                    .contains("incompatible").doesNotContain("\tat ");
        } finally {
            // The registry is shared by the whole run: leave the subject accepting anything again.
            try (var registry = new io.ved.envelope.registry.HttpSchemaRegistry(stack.registryUrl())) {
                registry.setCompatibility(SUBJECT, "NONE");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static io.ved.api.DomainDefinition<LedgerState> scaleDomain() {
        return (io.ved.api.DomainDefinition<LedgerState>) EvolutionApp.domains().get(0);
    }

    private static TopologyFile topology(String name) {
        String prefix = name + "-" + ProcessHandle.current().pid();
        return new TopologyFile(prefix + "-app", prefix + ".deadletters", prefix + ".replies",
                List.of(new DomainTopic(EvolutionApp.SCALE, prefix + ".scale.inbox", 2, (short) 1, 86_400_000L)));
    }

    private Path writeTopology(TopologyFile file) throws Exception {
        DomainTopic scale = file.domains().get(0);
        Path path = dir.resolve("topology.yaml");
        Files.writeString(path, "application: " + file.application() + "\ndeadLetterTopic: " + file.deadLetterTopic()
                + "\nreplyTopic: " + file.replyTopic() + "\ndomains:\n  - {type: ScaleDomain, topic: " + scale.topic()
                + ", partitions: " + scale.partitions() + "}\n");
        return path;
    }

    private static String inbox(RunningApp app) {
        return app.topology().domains().get(0).topic();
    }

    private static KafkaProducer<byte[], byte[]> producer(RealStack stack) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap()),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static byte[] avro(Schema schema, long value) throws Exception {
        GenericRecord record = new GenericData.Record(schema);
        record.put("value", value);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
