package io.ved.tooling.bench;

import io.ved.api.DomainDefinition;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.registry.HttpSchemaRegistry;
import io.ved.internal.TraceOutcome;
import io.ved.internal.TraceRecord;
import io.ved.runtime.StreamsSettings;
import io.ved.runtime.VedRuntime;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileReader;
import io.ved.runtime.TopicPlan;
import io.ved.tooling.topics.TopicReconciler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * (c) and (d): a Ved application, built exactly as {@code Ved.start()} builds it ({@code VedRuntime}'s topology
 * and {@code StreamsSettings}), but run on a {@link KafkaStreams} the benchmark holds, so that it can be paused
 * while the measured messages are produced. The domains are {@link BenchDomains}: the counter (c), or the relay
 * that also sends each message to a second domain type (d).
 */
final class VedBenchApp extends BenchApp {
    private final String id;
    private final String name;
    private final String description;
    private final List<DomainDefinition<?>> domains;
    private final String domainType;
    private final TopologyFile topology;
    private final String bootstrap;
    private final String registryUrl;
    private final Path stateDir;
    private final String sinkTopic;
    private final MessageCodec traceCodec;

    private VedBenchApp(String id, String name, String description, List<DomainDefinition<?>> domains, String yaml,
                        String sinkTopic, String bootstrap, String registryUrl, Path stateDir, Path topologyFile) {
        this.id = id;
        this.name = name;
        this.description = description;
        this.domains = domains;
        this.domainType = domains.getFirst().type().name();
        this.sinkTopic = sinkTopic;
        this.bootstrap = bootstrap;
        this.registryUrl = registryUrl;
        this.stateDir = stateDir;
        try {
            Files.createDirectories(topologyFile.getParent());
            Files.writeString(topologyFile, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.topology = TopologyFileReader.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), topologyFile.toString());
        this.traceCodec = new MessageCodec(new HttpSchemaRegistry(registryUrl));
    }

    /** The topology file text of a bench application; {@code defaults} adds lines under 'defaults'. */
    static String yaml(String application, int partitions, List<String> defaults, Map<String, String> domainTopics) {
        return yaml(application, partitions, 1, defaults, domainTopics);
    }

    /** The same, with this replication factor for every topic (3 on a cluster). */
    static String yaml(String application, int partitions, int replicationFactor, List<String> defaults,
                       Map<String, String> domainTopics) {
        StringBuilder y = new StringBuilder();
        y.append("# written by ved bench\n");
        y.append("application: ").append(application).append('\n');
        y.append("defaults:\n  partitions: ").append(partitions).append("\n  replicationFactor: ").append(replicationFactor).append('\n');
        defaults.forEach(line -> y.append("  ").append(line).append('\n'));
        y.append("domains:\n");
        domainTopics.forEach((type, topic) -> y.append("  - type: ").append(type).append("\n    topic: ").append(topic).append('\n'));
        return y.toString();
    }

    /** (c) and its extra forms: the counter domain; {@code defaults} may set handlerTimeoutMs or trace. */
    static VedBenchApp counter(String id, String name, String description, List<String> defaults, int partitions,
                               String runId, BenchStack stack, Path work) {
        String app = "bench-" + id + "-" + runId;
        Map<String, String> topics = new java.util.LinkedHashMap<>();
        topics.put(BenchDomains.COUNTER.name(), "bench." + id + "." + runId + ".inbox");
        return new VedBenchApp(id, name, description, List.of(BenchDomains.counter()),
                yaml(app, partitions, defaults, topics), null, stack.bootstrap(), stack.registryUrl(),
                work.resolve("state-" + id), work.resolve("topology-" + id + ".yaml"));
    }

    /** (d): the relay domain, sending each message on to SinkDomain, whose inbox is observed. */
    static VedBenchApp relay(String id, int partitions, String runId, BenchStack stack, Path work) {
        String app = "bench-" + id + "-" + runId;
        Map<String, String> topics = new java.util.LinkedHashMap<>();
        topics.put(BenchDomains.RELAY.name(), "bench." + id + "." + runId + ".inbox");
        topics.put(BenchDomains.SINK.name(), "bench." + id + "." + runId + ".sink");
        return new VedBenchApp(id, "Ved + one send", "as (c), and each message sends one message to a second domain type "
                + "(SinkDomain[same id]), whose inbox is observed", List.of(BenchDomains.relay()),
                yaml(app, partitions, List.of(), topics), topics.get(BenchDomains.SINK.name()), stack.bootstrap(), stack.registryUrl(),
                work.resolve("state-" + id), work.resolve("topology-" + id + ".yaml"));
    }

    @Override
    String id() {
        return id;
    }

    @Override
    String name() {
        return name;
    }

    @Override
    String description() {
        return description;
    }

    @Override
    String applicationId() {
        return topology.application();
    }

    @Override
    String inputTopic() {
        return topology.require(domains.getFirst().type()).topic();
    }

    TopologyFile topology() {
        return topology;
    }

    Path stateDir() {
        return stateDir;
    }

    @Override
    void createTopics(BenchStack stack, int partitions) {
        try {
            new TopicReconciler(stack.admin()).apply(TopicPlan.topicsToCreate(topology), List.of());
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the topics of " + topology.application() + ": " + e.getMessage(), e);
        }
    }

    @Override
    KafkaStreams build(int commitIntervalMs) {
        Map<String, Object> overrides = Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs,
                StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        VedRuntime runtime = VedRuntime.create(new VedRuntime.Settings(topology, domains, bootstrap, registryUrl, stateDir,
                overrides, Duration.ofSeconds(30)));
        // As VedRuntime.start(): register every schema before the first record, so no run pays for it.
        runtime.catalog().recordClasses().forEach(traceCodec::schemaIdOf);
        return new KafkaStreams(runtime.topology(), StreamsSettings.of(topology, bootstrap, stateDir, overrides));
    }

    @Override
    List<Probe> probes(LatencyRecorder endToEnd, LatencyRecorder inProcessor) {
        List<Probe> probes = new ArrayList<>();
        boolean traced = topology.require(domains.getFirst().type()).policy().trace();
        if (sinkTopic != null) {
            probes.add(new Probe(sinkTopic, (record, receivedMs) -> endToEnd.record(record.timestamp(), receivedMs - record.timestamp())));
        }
        if (traced) {
            probes.add(new Probe(topology.traceTopic(), (record, receivedMs) -> {
                TraceRecord trace = traceCodec.decode(record.value(), TraceRecord.class);
                if (trace.getOutcome() != TraceOutcome.HANDLED) {
                    return;
                }
                if (sinkTopic == null) {
                    endToEnd.record(record.timestamp(), receivedMs - record.timestamp());
                }
                inProcessor.record(trace.getRecordTime(), trace.getHandledTime() - trace.getRecordTime());
            }));
        }
        return probes;
    }

    @Override
    boolean measuresInProcessor() {
        return topology.require(domains.getFirst().type()).policy().trace();
    }

    /** Can its latency be observed? Not with tracing off and nothing sent. */
    boolean observable() {
        return sinkTopic != null || measuresInProcessor();
    }

    @Override
    Predicate<String> threads() {
        String handlerThreads = domainType + "-handler-";
        return name -> name.contains(applicationId()) || name.startsWith(handlerThreads);
    }
}
