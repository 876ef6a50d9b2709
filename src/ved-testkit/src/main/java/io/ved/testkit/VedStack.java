package io.ved.testkit;

import io.ved.api.DomainDefinition;
import io.ved.api.Ved;
import io.ved.api.VedSender;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.registry.HttpSchemaRegistry;
import io.ved.runtime.InternalTopics;
import io.ved.runtime.StateReader;
import io.ved.runtime.TopicPlan;
import io.ved.runtime.TopicSpec;
import io.ved.runtime.TopicReader;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileReader;
import io.ved.tooling.stack.EmbeddedKafka;
import io.ved.tooling.stack.LocalRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A real local stack for a user's integration tests: one KRaft broker (in this JVM) and one Apicurio registry (a
 * child process), started on first use and shared by every test of the run (starting them costs seconds; tests keep
 * apart by their own topics and application ids), stopped when the JVM ends. Get it with {@link #shared()} or as a
 * test parameter through {@link VedStackExtension}.
 *
 * <p>{@code -Dved.it.stack=testcontainers} runs Kafka ({@code apache/kafka:4.4.0}) and Apicurio
 * ({@code apicurio/apicurio-registry:3.3.3}) in Docker containers through Testcontainers instead, when
 * {@code org.testcontainers:kafka} is on the test classpath and Docker is reachable; otherwise one line on stderr says
 * which is missing and the embedded stack runs. Thread-safe.
 */
public final class VedStack {
    /** The system property that chooses the stack: {@code embedded} (the default) or {@code testcontainers}. */
    public static final String STACK_PROPERTY = "ved.it.stack";
    private static VedStack shared;

    private final String bootstrapServers;
    private final String registryUrl;
    private final EmbeddedKafka kafka;
    private final Runnable stop;

    VedStack(String bootstrapServers, String registryUrl, EmbeddedKafka kafka, Runnable stop) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.kafka = kafka;
        this.stop = stop;
    }

    /**
     * The stack of this JVM, started on the first call (the embedded one downloads the registry's distribution once,
     * into {@code ~/.cache/ved}).
     *
     * @throws IllegalStateException when the broker or the registry does not start, with its log's tail
     */
    public static synchronized VedStack shared() {
        if (shared == null) {
            String asked = System.getProperty(STACK_PROPERTY, "embedded");
            boolean present = testcontainersOnClasspath();
            Choice choice = choose(asked, present, present && isTestcontainers(asked) && ContainerStack.dockerAvailable());
            choice.message().ifPresent(System.err::println);
            shared = choice.containers() ? ContainerStack.start() : embedded();
            Runtime.getRuntime().addShutdownHook(new Thread(shared.stop, "ved-stack-stop"));
        }
        return shared;
    }

    private static VedStack embedded() {
        try {
            Path work = Files.createTempDirectory("ved-stack");
            EmbeddedKafka kafka = EmbeddedKafka.builder().logDir(work.resolve("kafka")).deleteOnClose(true).start();
            LocalRegistry registry = LocalRegistry.start(LocalRegistry.ensureDistribution(), work.resolve("registry"));
            return new VedStack(kafka.bootstrapServers(), registry.ccompatUrl(), kafka, () -> {
                registry.close();
                kafka.close();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the stack's work directory", e);
        }
    }

    /** Which stack runs, and the one line to tell the user about it (empty for the default, which needs no word). */
    record Choice(boolean containers, Optional<String> message) {
    }

    static Choice choose(String asked, boolean testcontainersPresent, boolean docker) {
        String flag = "ved-testkit: -D" + STACK_PROPERTY + "=" + asked;
        if (asked.isBlank() || asked.trim().equalsIgnoreCase("embedded")) {
            return new Choice(false, Optional.empty());
        }
        if (!isTestcontainers(asked)) {
            return new Choice(false, Optional.of(flag + " is not a stack (embedded, testcontainers); running the embedded one"));
        }
        if (!testcontainersPresent) {
            return new Choice(false, Optional.of(flag + " needs org.testcontainers:kafka on the test classpath (add it, "
                    + "test scope); running the embedded stack (a KRaft broker in this JVM and Apicurio) instead"));
        }
        if (!docker) {
            return new Choice(false, Optional.of(flag + ", but no Docker engine is reachable here (Testcontainers found "
                    + "none: no /var/run/docker.sock, no DOCKER_HOST); running the embedded stack instead"));
        }
        return new Choice(true, Optional.of(flag + ": Kafka (" + ContainerStack.KAFKA_IMAGE + ") and Apicurio ("
                + ContainerStack.REGISTRY_IMAGE + ") in Docker containers"));
    }

    /** Whether Testcontainers' Kafka module is on the classpath (the test kit declares it optional). */
    private static boolean testcontainersOnClasspath() {
        try {
            Class.forName("org.testcontainers.kafka.KafkaContainer", false, VedStack.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static boolean isTestcontainers(String asked) {
        return asked.trim().equalsIgnoreCase("testcontainers");
    }

    /** The broker's bootstrap servers, e.g. {@code 127.0.0.1:40123}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The registry's Confluent-compatible API root. */
    public String registryUrl() {
        return registryUrl;
    }

    /**
     * The broker itself, for fault tests that stop and restart it.
     *
     * @throws IllegalStateException on the container stack, whose broker is a container, not an {@code EmbeddedKafka}
     */
    public EmbeddedKafka broker() {
        if (kafka == null) {
            throw new IllegalStateException("the broker of the Testcontainers stack is a container: fault tests that stop "
                    + "and restart the broker need the embedded stack (leave -D" + STACK_PROPERTY + " unset)");
        }
        return kafka;
    }

    /**
     * Builds the application on this stack (its broker and registry set on the builder), starts it and waits until it
     * processes. The caller closes it.
     *
     * @throws IllegalStateException when it does not run within {@code wait}
     */
    public Ved start(Ved.Builder application, Duration wait) throws InterruptedException {
        Ved ved = application.bootstrapServers(bootstrapServers()).schemaRegistry(registryUrl()).build();
        ved.start();
        if (!ved.awaitRunning(wait)) {
            ved.close();
            throw new IllegalStateException("the application did not reach RUNNING within " + wait.toSeconds() + " s");
        }
        return ved;
    }

    /**
     * Creates the topology file's topics that are missing, with the partitions, replication and configs (retention,
     * cleanup policy) that {@code ved topics apply} gives them: the same plan.
     *
     * @throws IllegalStateException when the broker refuses one
     */
    public void createTopics(Path topologyFile) {
        List<NewTopic> topics = TopicPlan.topicsToCreate(TopologyFileReader.read(topologyFile)).stream()
                .map(TopicSpec::toNewTopic).toList();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            InternalTopics.createMissing(admin, topics, Duration.ofSeconds(30));
        }
    }

    /**
     * The latest state of one domain instance, as the application's changelog topic holds it: every committed record
     * read with {@code read_committed} up to the end offsets taken now. Empty while the instance has no state (or
     * the application has not committed it yet: poll, e.g. with Awaitility).
     *
     * @param topologyResource the application's topology file on the classpath (which names its application id)
     * @throws IllegalStateException when the changelog cannot be read within {@code wait}
     */
    public <S extends SpecificRecord> Optional<S> stateOf(String topologyResource, DomainDefinition<S> domain, String id,
            Duration wait) {
        return stateOf(TopologyFileReader.readResource(topologyResource), domain, id, wait);
    }

    /** {@link #stateOf(String, DomainDefinition, String, Duration)} for a topology file on disk. */
    public <S extends SpecificRecord> Optional<S> stateOf(Path topologyFile, DomainDefinition<S> domain, String id, Duration wait) {
        return stateOf(TopologyFileReader.read(topologyFile), domain, id, wait);
    }

    private <S extends SpecificRecord> Optional<S> stateOf(TopologyFile file, DomainDefinition<S> domain, String id, Duration wait) {
        try {
            StateReader reader = new StateReader(bootstrapServers(), new MessageCodec(new HttpSchemaRegistry(registryUrl())));
            return Optional.ofNullable(reader.states(file, domain, wait).get(id));
        } catch (TimeoutException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A sender on this stack for the topology file. The caller closes it. */
    public VedSender sender(Path topologyFile, String source) {
        return VedSender.connect(bootstrapServers(), registryUrl(), topologyFile, source);
    }

    /**
     * Every committed record of the topic, as a {@code read_committed} consumer sees it, from the beginning to the end
     * offsets taken now (aborted transactions' records are never among them).
     */
    public List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic, Duration wait) {
        try {
            return TopicReader.readAll(bootstrapServers(), List.of(topic), wait);
        } catch (TimeoutException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Stops this stack's broker and registry; the shared stack is stopped when the JVM ends. */
    void stop() {
        stop.run();
    }
}
