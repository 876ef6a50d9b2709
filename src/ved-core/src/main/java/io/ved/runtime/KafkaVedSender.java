package io.ved.runtime;

import io.ved.api.Backpressure;
import io.ved.api.BackpressureException;
import io.ved.api.CorrelationId;
import io.ved.api.DomainRef;
import io.ved.api.MessageId;
import io.ved.api.Sent;
import io.ved.api.VedSender;

import io.ved.envelope.Envelope;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.registry.HttpSchemaRegistry;
import io.ved.envelope.registry.SchemaRegistry;
import io.ved.runtime.telemetry.MessageSpans;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileReader;
import io.ved.runtime.lag.LagSampler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The {@link VedSender} on a Kafka producer: what {@link VedSender#connect} returns, and what tools and tests that
 * already hold a read topology file and a registry client connect directly. Thread-safe, like the producer.
 */
public final class KafkaVedSender implements VedSender {
    private final TopologyFile topology;
    private final MessageCodec codec;
    private final Producer<byte[], byte[]> producer;
    private final String source;
    private final Optional<Backpressure> backpressure;
    private final LagSampler depths;
    private final AutoCloseable depthsClient;

    KafkaVedSender(TopologyFile topology, SchemaRegistry registry, Producer<byte[], byte[]> producer, String source) {
        this(topology, registry, producer, source, Optional.empty(), null, null);
    }

    KafkaVedSender(TopologyFile topology, SchemaRegistry registry, Producer<byte[], byte[]> producer, String source,
              Optional<Backpressure> backpressure, LagSampler depths, AutoCloseable depthsClient) {
        this.topology = topology;
        this.codec = new MessageCodec(registry);
        this.producer = producer;
        this.source = source;
        this.backpressure = backpressure;
        this.depths = depths;
        this.depthsClient = depthsClient;
    }

    /**
     * @param source who is sending, as a CloudEvents source (a URI reference such as {@code /billing-api})
     */
    public static KafkaVedSender connect(String bootstrapServers, String schemaRegistryUrl, Path topologyFile, String source) {
        return connect(bootstrapServers, new HttpSchemaRegistry(schemaRegistryUrl), TopologyFileReader.read(topologyFile), source);
    }

    public static KafkaVedSender connect(String bootstrapServers, SchemaRegistry registry, TopologyFile topology, String source) {
        return new KafkaVedSender(topology, registry, producer(bootstrapServers, source, Map.of()), source);
    }

    /** With Kafka client settings of a secured cluster; {@code schema.registry.*} settings are left out of Kafka's. */
    public static KafkaVedSender connect(String bootstrapServers, SchemaRegistry registry, TopologyFile topology, String source,
                                         Map<String, ?> clientConfig) {
        return new KafkaVedSender(topology, registry,
                producer(bootstrapServers, source, HttpSchemaRegistry.withoutRegistrySettings(clientConfig)), source);
    }

    /** With Kafka client settings of a secured cluster ({@code security.*}, {@code sasl.*}, {@code ssl.*}). */
    public static KafkaVedSender connect(String bootstrapServers, String schemaRegistryUrl, Path topologyFile, String source,
                                         Map<String, ?> clientConfig) {
        return connect(bootstrapServers, HttpSchemaRegistry.configured(schemaRegistryUrl, clientConfig),
                TopologyFileReader.read(topologyFile), source, clientConfig);
    }

    /** A sender that holds back while the target's mailbox is above the high-water mark (see {@link Backpressure}). */
    public static KafkaVedSender connect(String bootstrapServers, String schemaRegistryUrl, Path topologyFile, String source,
                                    Backpressure backpressure) {
        return connect(bootstrapServers, new HttpSchemaRegistry(schemaRegistryUrl), TopologyFileReader.read(topologyFile), source,
                backpressure);
    }

    /**
     * A sender that holds back while the target's mailbox is above the high-water mark (see {@link Backpressure}).
     * The depth is the lag of the consumer group named by the topology's application id plus the messages the
     * application holds back in its retry and throttle queues (published to {@code <application>.depth}).
     */
    public static KafkaVedSender connect(String bootstrapServers, SchemaRegistry registry, TopologyFile topology, String source,
                                    Backpressure backpressure) {
        return connect(bootstrapServers, registry, topology, source, backpressure, Map.of());
    }

    /** The same on a secured cluster: the producer, the lag sampler's admin client and the depth reader take the settings. */
    public static KafkaVedSender connect(String bootstrapServers, SchemaRegistry registry, TopologyFile topology, String source,
                                    Backpressure backpressure, Map<String, ?> clientConfig) {
        Objects.requireNonNull(backpressure, "backpressure");
        Map<String, Object> security = HttpSchemaRegistry.withoutRegistrySettings(clientConfig);
        Map<String, Object> adminConfig = new java.util.HashMap<>(security);
        adminConfig.putAll(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "ved-sender-depth" + source.replaceAll("[^A-Za-z0-9._-]", "-"),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000));
        Admin admin = Admin.create(adminConfig);
        io.ved.runtime.lag.DeferredDepths deferred = null;
        try {
            deferred = io.ved.runtime.lag.DeferredDepths.connect(bootstrapServers, topology.depthTopic(), security);
            LagSampler depths = new LagSampler(LagSampler.withDeferred(admin, topology.application(), deferred),
                    backpressure.sampleEvery());
            io.ved.runtime.lag.DeferredDepths deferredClient = deferred;
            return new KafkaVedSender(topology, registry, producer(bootstrapServers, source, security), source, Optional.of(backpressure),
                    depths, () -> {
                        admin.close();
                        deferredClient.close();
                    });
        } catch (RuntimeException e) {
            admin.close();
            if (deferred != null) {
                deferred.close();
            }
            throw e;
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrapServers, String source, Map<String, ?> clientConfig) {
        Map<String, Object> config = new java.util.HashMap<>(clientConfig);
        config.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.CLIENT_ID_CONFIG, "ved-sender" + source.replaceAll("[^A-Za-z0-9._-]", "-"),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000));
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public Optional<Backpressure> backpressure() {
        return backpressure;
    }

    @Override
    public Sent send(DomainRef target, SpecificRecord message) {
        return send(target, message, Optional.empty());
    }

    @Override
    public Sent send(DomainRef target, SpecificRecord message, CorrelationId correlation) {
        return send(target, message, Optional.of(correlation));
    }

    private Sent send(DomainRef target, SpecificRecord message, Optional<CorrelationId> correlation) {
        Objects.requireNonNull(message, "message");
        DomainTopic inbox = topology.domain(target.type()).orElseThrow(() -> new IllegalArgumentException(
                target.type() + " is not a domain type of topology '" + topology.application() + "' (known: "
                        + topology.typeNames() + ")"));
        String topic = inbox.topic();
        byte[] key = target.id().getBytes(StandardCharsets.UTF_8);
        if (backpressure.isPresent()) {
            awaitRoom(target, topic, key, backpressure.get());
        }
        Envelope envelope = Envelope.root(MessageId.random(), message.getSchema().getFullName(), source, target,
                Instant.now(), correlation);
        RecordHeaders headers = new RecordHeaders();
        EnvelopeHeaders.write(envelope, headers);
        MessageSpans.injectCurrent(headers);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, envelope.time().toEpochMilli(),
                key, codec.encode(message), headers);
        RecordMetadata written = await(record);
        return new Sent(envelope.id(), envelope.correlation(), written.partition(), written.offset());
    }

    /**
     * Returns when the target's mailbox depth is at or below the mark; throws when it is above and the setting
     * refuses, or when waiting took longer than allowed.
     */
    private void awaitRoom(DomainRef target, String topic, byte[] key, Backpressure bp) {
        long started = System.nanoTime();
        long deadline = started + bp.maxWait().toNanos();
        try {
            while (true) {
                LagSampler.Sample sample = depths.sample(topic);
                int partition = bp.scope() == Backpressure.Scope.PARTITION && sample.partitions() > 0
                        ? Partitioning.partitionOf(key, sample.partitions()) : -1;
                long depth = partition < 0 ? sample.total() : sample.partition(partition);
                if (depth <= bp.highWaterMark()) {
                    return;
                }
                long now = System.nanoTime();
                if (bp.onFull() == Backpressure.OnFull.REFUSE || now >= deadline) {
                    throw new BackpressureException(target, topic, partition, depth, bp.highWaterMark(),
                            bp.onFull() == Backpressure.OnFull.REFUSE ? Duration.ZERO : Duration.ofNanos(now - started));
                }
                long pause = Math.min(deadline - now, Math.max(depths.freshFor(sample), Duration.ofMillis(20).toNanos()));
                Thread.sleep(Duration.ofNanos(pause));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for room in " + target.type() + "'s mailbox", e);
        }
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
        if (depthsClient != null) {
            try {
                depthsClient.close();
            } catch (Exception e) {
                // closing the admin client of the depth measurements: nothing left to do about it
            }
        }
    }
}
