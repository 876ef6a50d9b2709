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
import io.ved.tooling.stack.LocalCluster;
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
 * <p>A replicated cluster instead: {@link #shared(int) shared(3)}, {@code @Brokers(3)} on a test parameter or class
 * with the extension, or {@code -D}{@value #BROKERS_PROPERTY}{@code =3} for every test that asks for the default
 * stack. It runs {@code n} KRaft nodes as separate {@code kafka.Kafka} processes on loopback (each broker and
 * controller voter), replication factor {@code min(3, n)} and {@code min.insync.replicas} {@code min(2, n)} for every
 * topic, Kafka Streams' internal ones included; {@link #cluster()} gives its nodes, to kill a partition leader or
 * the active controller. Every stack of the run shares one registry.
 *
 * <p>{@code -Dved.it.stack=testcontainers} runs Kafka ({@code apache/kafka:4.4.0}) and Apicurio
 * ({@code apicurio/apicurio-registry:3.3.3}) in Docker containers through Testcontainers instead, when
 * {@code org.testcontainers:kafka} is on the test classpath and Docker is reachable; otherwise one line on stderr says
 * which is missing and the embedded stack runs. A cluster always runs as local processes. Thread-safe.
 */
public final class VedStack {
    /** The system property that chooses the stack: {@code embedded} (the default) or {@code testcontainers}. */
    public static final String STACK_PROPERTY = "ved.it.stack";
    /** The system property that sizes the default stack: {@code 1} (the default) or more Kafka nodes. */
    public static final String BROKERS_PROPERTY = "ved.it.brokers";
    private static final Map<Integer, VedStack> SHARED = new java.util.TreeMap<>();
    private static LocalRegistry registry;
    private static Path work;

    private final String bootstrapServers;
    private final String registryUrl;
    private final EmbeddedKafka kafka;
    private final LocalCluster cluster;
    private final Runnable stop;

    VedStack(String bootstrapServers, String registryUrl, EmbeddedKafka kafka, LocalCluster cluster, Runnable stop) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.kafka = kafka;
        this.cluster = cluster;
        this.stop = stop;
    }

    /**
     * The stack of this JVM, started on the first call (the embedded one downloads the registry's distribution once,
     * into {@code ~/.cache/ved}): one broker, or as many as {@code -D}{@value #BROKERS_PROPERTY} says.
     *
     * @throws IllegalStateException when the broker or the registry does not start, with its log's tail
     * @throws IllegalArgumentException when {@value #BROKERS_PROPERTY} is not a whole number of at least 1
     */
    public static VedStack shared() {
        return shared(brokersProperty(System.getProperty(BROKERS_PROPERTY)));
    }

    /**
     * The stack of this JVM with {@code brokers} Kafka nodes, started on the first call for that size and shared from
     * then on; 1 is the stack {@link #shared()} gives by default. The registry is the same for every size.
     *
     * @throws IllegalArgumentException when {@code brokers} is below 1
     * @throws IllegalStateException when a node or the registry does not start, with its log's tail
     */
    public static synchronized VedStack shared(int brokers) {
        if (brokers < 1) {
            throw new IllegalArgumentException("a stack needs at least 1 broker, not " + brokers + "; 3 is a replicated cluster");
        }
        VedStack stack = SHARED.get(brokers);
        if (stack == null) {
            if (SHARED.isEmpty()) {
                Runtime.getRuntime().addShutdownHook(new Thread(VedStack::stopAll, "ved-stack-stop"));
            }
            stack = brokers == 1 ? single() : cluster(brokers);
            SHARED.put(brokers, stack);
        }
        return stack;
    }

    static int brokersProperty(String value) {
        if (value == null || value.isBlank()) {
            return 1;
        }
        try {
            int brokers = Integer.parseInt(value.trim());
            if (brokers >= 1) {
                return brokers;
            }
        } catch (NumberFormatException e) {
            // reported below, with the fix
        }
        throw new IllegalArgumentException("-D" + BROKERS_PROPERTY + "=" + value + " is not a number of Kafka nodes: use 1 "
                + "(one broker, the default) or e.g. 3 (a replicated cluster)");
    }

    private static VedStack single() {
        String asked = System.getProperty(STACK_PROPERTY, "embedded");
        boolean present = testcontainersOnClasspath();
        Choice choice = choose(asked, present, present && isTestcontainers(asked) && ContainerStack.dockerAvailable());
        choice.message().ifPresent(System.err::println);
        if (choice.containers()) {
            return ContainerStack.start();
        }
        EmbeddedKafka kafka = EmbeddedKafka.builder().logDir(work().resolve("kafka")).deleteOnClose(true).start();
        return new VedStack(kafka.bootstrapServers(), registry().ccompatUrl(), kafka, null, kafka::close);
    }

    private static VedStack cluster(int brokers) {
        LocalCluster nodes = LocalCluster.start(work().resolve("cluster-" + brokers), brokers);
        return new VedStack(nodes.bootstrapServers(), registry().ccompatUrl(), null, nodes, nodes::close);
    }

    private static Path work() {
        if (work == null) {
            try {
                work = Files.createTempDirectory("ved-stack");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the stack's work directory", e);
            }
        }
        return work;
    }

    private static LocalRegistry registry() {
        if (registry == null) {
            registry = LocalRegistry.start(LocalRegistry.ensureDistribution(), work().resolve("registry"));
        }
        return registry;
    }

    /** The shutdown hook: every stack's Kafka, then the registry they share. */
    private static synchronized void stopAll() {
        SHARED.values().forEach(VedStack::stop);
        if (registry != null) {
            registry.close();
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
     * @throws IllegalStateException on the container stack, whose broker is a container, and on a cluster, whose
     *     nodes {@link #cluster()} gives
     */
    public EmbeddedKafka broker() {
        if (cluster != null) {
            throw new IllegalStateException("this stack is a cluster of " + cluster.nodes().size() + " Kafka nodes, not one "
                    + "embedded broker: use cluster() to kill or restart a node, or VedStack.shared(1) for the single broker");
        }
        if (kafka == null) {
            throw new IllegalStateException("the broker of the Testcontainers stack is a container: fault tests that stop "
                    + "and restart the broker need the embedded stack (leave -D" + STACK_PROPERTY + " unset)");
        }
        return kafka;
    }

    /**
     * The cluster's nodes, for fault tests that kill (a real {@code kill -9}), pause or restart one:
     * {@link LocalCluster#leaderOf} and {@link LocalCluster#activeController} say which. A test that stops a node
     * starts it again before it ends: the stack is shared.
     *
     * @throws IllegalStateException on a single-broker stack ({@link #shared(int) shared(3)} gives a cluster)
     */
    public LocalCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("this stack has a single broker, not a cluster: ask for VedStack.shared(3), "
                    + "@Brokers(3) on the test parameter, or -D" + BROKERS_PROPERTY + "=3");
        }
        return cluster;
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

    /** Stops this stack's Kafka (and the containers' registry); the shared stacks are stopped when the JVM ends. */
    void stop() {
        stop.run();
    }
}
