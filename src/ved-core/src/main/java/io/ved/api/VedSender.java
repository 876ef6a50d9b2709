package io.ved.api;

import io.ved.runtime.KafkaVedSender;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

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
 *
 * <p>With a {@link Backpressure} setting the sender first looks at the target's mailbox depth (the application's
 * consumer lag on the target's inbox plus what it holds back in retry and throttle queues, measured at most every
 * {@link Backpressure#sampleEvery()} per topic) and, while it is above the high-water mark, refuses or waits,
 * throwing {@link BackpressureException}:
 *
 * <pre>{@code
 * VedSender.connect(bootstrap, registryUrl, topologyFile, "/billing-api", Backpressure.waitBelow(10_000, Duration.ofSeconds(30)))
 * }</pre>
 *
 * <p>Thread-safe: one sender may be shared by every thread of an application. Close it to release its producer.
 */
public interface VedSender extends AutoCloseable {

    /**
     * Connects a sender; nothing is sent until {@link #send}.
     *
     * @param bootstrapServers  the Kafka brokers, e.g. {@code 127.0.0.1:9092}
     * @param schemaRegistryUrl the base URL of a Confluent-compatible registry API
     * @param topologyFile      the application's topology file, which says each domain type's inbox topic
     * @param source            who is sending, as a CloudEvents source (a URI reference such as {@code /billing-api})
     * @throws io.ved.runtime.topology.TopologyFileException when the topology file is missing or invalid, naming why
     */
    static VedSender connect(String bootstrapServers, String schemaRegistryUrl, Path topologyFile, String source) {
        return KafkaVedSender.connect(bootstrapServers, schemaRegistryUrl, topologyFile, source);
    }

    /**
     * A sender on a secured cluster: {@code clientConfig} holds the Kafka client settings ({@code security.protocol},
     * {@code sasl.*}, {@code ssl.*}) its producer authenticates with; the principal needs WRITE on the target inboxes.
     * Otherwise as {@link #connect(String, String, Path, String)}.
     */
    static VedSender connect(String bootstrapServers, String schemaRegistryUrl, Path topologyFile, String source,
                             java.util.Map<String, ?> clientConfig) {
        return KafkaVedSender.connect(bootstrapServers, schemaRegistryUrl, topologyFile, source, clientConfig);
    }

    /**
     * A sender that holds back while the target's mailbox is above the high-water mark (see {@link Backpressure}).
     * The depth is the lag of the consumer group named by the topology's application id plus the messages the
     * application holds back in its retry and throttle queues (published to {@code <application>.depth}).
     */
    static VedSender connect(String bootstrapServers, String schemaRegistryUrl, Path topologyFile, String source,
                             Backpressure backpressure) {
        return KafkaVedSender.connect(bootstrapServers, schemaRegistryUrl, topologyFile, source, backpressure);
    }

    /** A sender with backpressure on a secured cluster: its producer and its lag sampler take {@code clientConfig}. */
    static VedSender connect(String bootstrapServers, String schemaRegistryUrl, Path topologyFile, String source,
                             Backpressure backpressure, java.util.Map<String, ?> clientConfig) {
        return KafkaVedSender.connect(bootstrapServers, io.ved.envelope.registry.HttpSchemaRegistry.configured(schemaRegistryUrl,
                clientConfig), io.ved.runtime.topology.TopologyFileReader.read(topologyFile), source, backpressure, clientConfig);
    }

    /** The setting this sender holds back by, if any. Never null. */
    Optional<Backpressure> backpressure();

    /**
     * Sends a message that starts its own correlation; returns once the broker has it.
     *
     * @throws IllegalArgumentException when the target's type is not in the topology, or the message type has no schema
     * @throws BackpressureException    when the target's mailbox is above the high-water mark (nothing was sent)
     * @throws IllegalStateException    when the broker does not take the message (its cause says why)
     */
    Sent send(DomainRef target, SpecificRecord message);

    /** Sends a message that joins an existing correlation (e.g. a follow-up to an earlier request); as {@link #send(DomainRef, SpecificRecord)}. */
    Sent send(DomainRef target, SpecificRecord message, CorrelationId correlation);

    /** Flushes and closes the producer; safe to call twice. */
    @Override
    void close();
}
