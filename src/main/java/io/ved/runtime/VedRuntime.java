package io.ved.runtime;

import io.ved.api.DomainDefinition;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.registry.HttpSchemaRegistry;
import io.ved.envelope.registry.SchemaRegistry;
import io.ved.runtime.topology.TopologyFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a Ved application on Kafka Streams: checks the wiring, registers the schemas, starts the topology. */
public final class VedRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VedRuntime.class);

    private final DomainCatalog catalog;
    private final MessageCodec codec;
    private final Settings settings;
    private KafkaStreams streams;

    /** What {@link io.ved.api.Ved.Builder} collected. */
    public record Settings(TopologyFile topology, List<DomainDefinition<?>> domains,
                           String bootstrapServers, String schemaRegistryUrl, Path stateDir,
                           Map<String, Object> streamsConfig, Duration brokerWait) {
    }

    private VedRuntime(DomainCatalog catalog, MessageCodec codec, Settings settings) {
        this.catalog = catalog;
        this.codec = codec;
        this.settings = settings;
    }

    public static VedRuntime create(Settings settings) {
        return create(settings, new HttpSchemaRegistry(settings.schemaRegistryUrl()));
    }

    public static VedRuntime create(Settings settings, SchemaRegistry registry) {
        DomainCatalog catalog = new DomainCatalog(settings.topology(), settings.domains());
        return new VedRuntime(catalog, new MessageCodec(registry), settings);
    }

    public DomainCatalog catalog() {
        return catalog;
    }

    public Topology topology() {
        return VedTopology.build(catalog, codec);
    }

    public synchronized void start() {
        if (streams != null) {
            throw new IllegalStateException("this Ved application was already started");
        }
        BrokerCheck.require(settings.bootstrapServers(), settings.brokerWait());
        // Registering up front makes an unreachable registry or a refused schema stop start-up, naming the schema.
        catalog.recordClasses().forEach(codec::schemaIdOf);
        streams = new KafkaStreams(topology(), StreamsSettings.of(catalog.topologyFile(), settings.bootstrapServers(),
                settings.stateDir(), settings.streamsConfig()));
        streams.setUncaughtExceptionHandler(new StreamFailurePolicy(catalog.topologyFile().application()));
        streams.start();
        LOG.info("Ved application {} started: domains {}", catalog.topologyFile().application(),
                catalog.localDomains().stream().map(d -> d.type().name()).toList());
    }

    public synchronized boolean isRunning() {
        return streams != null && streams.state().isRunningOrRebalancing();
    }

    /** Waits until every task is assigned and restored and processing runs; false on timeout or failure. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State state = state();
            if (state == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING
                    || state == KafkaStreams.State.PENDING_ERROR) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** The Kafka Streams state, for tooling that waits until the application is RUNNING. */
    public synchronized KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.CREATED : streams.state();
    }

    @Override
    public synchronized void close() {
        if (streams != null) {
            // Leaving the group on a clean stop lets the partitions move at once, instead of after the session
            // timeout (45 s) during which nobody would handle them.
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
        }
    }
}
