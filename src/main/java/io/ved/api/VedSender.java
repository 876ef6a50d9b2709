package io.ved.api;

import io.ved.envelope.Envelope;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.registry.HttpSchemaRegistry;
import io.ved.envelope.registry.SchemaRegistry;
import io.ved.runtime.telemetry.MessageSpans;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends messages into Ved from outside: from an application, a script or the CLI. Each message gets a full
 * envelope (a new message id, a new or given correlation) and counts as sent only once the broker has it
 * on all in-sync replicas.
 *
 * <pre>{@code
 * try (VedSender sender = VedSender.connect("127.0.0.1:9092", registryUrl, Path.of("topology/example.yaml"), "/my-service")) {
 *     Sent sent = sender.send(InventoryDomain.ref("88"), new ReleaseStock("A12", 1, null));
 * }
 * }</pre>
 */
public final class VedSender implements AutoCloseable {
    private final TopologyFile topology;
    private final MessageCodec codec;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String source;

    VedSender(TopologyFile topology, SchemaRegistry registry, KafkaProducer<byte[], byte[]> producer, String source) {
        this.topology = topology;
        this.codec = new MessageCodec(registry);
        this.producer = producer;
        this.source = source;
    }

    /**
     * @param source who is sending, as a CloudEvents source (a URI reference such as {@code /billing-api})
     */
    public static VedSender connect(String bootstrapServers, String schemaRegistryUrl, Path topologyFile, String source) {
        return connect(bootstrapServers, new HttpSchemaRegistry(schemaRegistryUrl), TopologyFileReader.read(topologyFile), source);
    }

    public static VedSender connect(String bootstrapServers, SchemaRegistry registry, TopologyFile topology, String source) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.CLIENT_ID_CONFIG, "ved-sender" + source.replaceAll("[^A-Za-z0-9._-]", "-"),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        return new VedSender(topology, registry,
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()), source);
    }

    /** Sends a message that starts its own correlation. */
    public Sent send(DomainRef target, SpecificRecord message) {
        return send(target, message, Optional.empty());
    }

    /** Sends a message that joins an existing correlation (e.g. a follow-up to an earlier request). */
    public Sent send(DomainRef target, SpecificRecord message, CorrelationId correlation) {
        return send(target, message, Optional.of(correlation));
    }

    private Sent send(DomainRef target, SpecificRecord message, Optional<CorrelationId> correlation) {
        Objects.requireNonNull(message, "message");
        String topic = topology.domain(target.type()).orElseThrow(() -> new IllegalArgumentException(
                target.type() + " is not a domain type of topology '" + topology.application() + "' (known: "
                        + topology.typeNames() + ")")).topic();
        Envelope envelope = Envelope.root(MessageId.random(), message.getSchema().getFullName(), source, target,
                Instant.now(), correlation);
        RecordHeaders headers = new RecordHeaders();
        EnvelopeHeaders.write(envelope, headers);
        MessageSpans.injectCurrent(headers);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, envelope.time().toEpochMilli(),
                target.id().getBytes(StandardCharsets.UTF_8), codec.encode(message), headers);
        RecordMetadata written = await(record);
        return new Sent(envelope.id(), envelope.correlation(), written.partition(), written.offset());
    }

    private RecordMetadata await(ProducerRecord<byte[], byte[]> record) {
        try {
            return producer.send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending to " + record.topic(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not send to " + record.topic() + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
