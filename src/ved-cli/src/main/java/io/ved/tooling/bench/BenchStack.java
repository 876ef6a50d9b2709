package io.ved.tooling.bench;

import io.ved.envelope.MessageCodec;
import io.ved.envelope.registry.HttpSchemaRegistry;
import io.ved.tooling.stack.EmbeddedKafka;
import io.ved.tooling.stack.LocalRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The one broker (Kafka in this JVM) and the one schema registry (Apicurio, a child process) of a benchmark run,
 * or ones that already run (the integration test passes its own). The registry starts in the background, since
 * the raw-broker and bare-Streams variants do not need it.
 */
final class BenchStack implements AutoCloseable {
    private final EmbeddedKafka kafka;
    private final String bootstrap;
    private final CompletableFuture<String> registryUrl;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final Admin admin;
    private MessageCodec codec;

    private BenchStack(EmbeddedKafka kafka, String bootstrap, CompletableFuture<String> registryUrl) {
        this.kafka = kafka;
        this.bootstrap = bootstrap;
        this.registryUrl = registryUrl;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000));
    }

    /** Starts a broker in this JVM (and returns once it answers) and a registry in the background. */
    static BenchStack start(Path work) {
        EmbeddedKafka kafka = EmbeddedKafka.builder().logDir(work.resolve("kafka")).deleteOnClose(true).start();
        CompletableFuture<LocalRegistry> registry = CompletableFuture.supplyAsync(
                () -> LocalRegistry.start(LocalRegistry.ensureDistribution(), work.resolve("registry")));
        BenchStack stack = new BenchStack(kafka, kafka.bootstrapServers(), registry.thenApply(LocalRegistry::ccompatUrl));
        stack.owned.add(() -> registry.thenAccept(LocalRegistry::close).get(60, TimeUnit.SECONDS));
        return stack;
    }

    /** A broker and registry someone else runs (and stops). */
    static BenchStack existing(String bootstrap, String registryUrl) {
        return new BenchStack(null, bootstrap, CompletableFuture.completedFuture(registryUrl));
    }

    String bootstrap() {
        return bootstrap;
    }

    /** The registry's Confluent-compatible URL, waiting for it to have started. */
    String registryUrl() {
        try {
            return registryUrl.get(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the schema registry", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the schema registry did not start: " + e.getMessage(), e);
        }
    }

    Admin admin() {
        return admin;
    }

    /** One codec on the registry for the whole run (schema ids are cached in it), closed with the stack. */
    synchronized MessageCodec codec() {
        if (codec == null) {
            HttpSchemaRegistry registry = new HttpSchemaRegistry(registryUrl());
            owned.addFirst(registry); // its HTTP client goes before the registry process does
            codec = new MessageCodec(registry);
        }
        return codec;
    }

    void createTopics(int partitions, String... topics) {
        List<NewTopic> newTopics = new ArrayList<>();
        for (String topic : topics) {
            newTopics.add(new NewTopic(topic, partitions, (short) 1));
        }
        try {
            admin.createTopics(newTopics).values().values().forEach(f -> {
                try {
                    f.get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic: " + e.getCause().getMessage(), e.getCause());
                    }
                } catch (InterruptedException | TimeoutException e) {
                    throw new IllegalStateException("cannot create topics " + List.of(topics), e);
                }
            });
        } catch (RuntimeException e) {
            throw e;
        }
    }

    /** The end offset of every partition of the topics. */
    Map<TopicPartition, Long> endOffsets(Collection<String> topics) {
        try {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get(60, TimeUnit.SECONDS).forEach((name, description) ->
                    description.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            return admin.listOffsets(request).all().get(60, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the end offsets of " + topics + ": " + e.getMessage(), e);
        }
    }

    /** The offsets a consumer group (a Streams application id) has committed. */
    Map<TopicPartition, Long> committed(String group) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, Long> result = new HashMap<>();
            offsets.forEach((tp, om) -> {
                if (om != null) {
                    result.put(tp, om.offset());
                }
            });
            return result;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the committed offsets of " + group + ": " + e.getMessage(), e);
        }
    }

    /** How many records of the topics the group has not committed yet. */
    long lag(String group, Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> committed = committed(group);
        long lag = 0;
        for (var e : ends.entrySet()) {
            lag += Math.max(0, e.getValue() - committed.getOrDefault(e.getKey(), 0L));
        }
        return lag;
    }

    /**
     * Waits until the group has committed every partition up to the given end offsets.
     *
     * @return the nanoTime at which that was first seen
     */
    long awaitCommitted(String group, Map<TopicPartition, Long> ends, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long lag = lag(group, ends);
            long now = System.nanoTime();
            if (lag == 0) {
                return now;
            }
            if (now > deadline) {
                throw new IllegalStateException(group + " still had " + lag + " records to process after " + timeout.toSeconds() + " s");
            }
            sleep(20);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(10));
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception ignored) {
                // stopping the registry is best effort; its shutdown hook insists
            }
        }
        if (kafka != null) {
            kafka.close();
        }
    }
}
