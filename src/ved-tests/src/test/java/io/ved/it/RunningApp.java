package io.ved.it;

import io.ved.runtime.VedRuntime;
import static org.assertj.core.api.Assertions.assertThat;

import io.ved.api.DomainDefinition;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.registry.HttpSchemaRegistry;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.StateReader;
import io.ved.tooling.lag.Quiescence;
import io.ved.runtime.TopicPlan;
import io.ved.tooling.topics.TopicReconciler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** A Ved application running on the real stack for one test, with the means to wait for it and read its states. */
final class RunningApp implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(90);

    private final RealStack stack;
    private final TopologyFile topology;
    private final List<DomainDefinition<?>> domains;
    private final Admin admin;
    private final HttpSchemaRegistry registry;
    private final String appRegistryUrl;
    private VedRuntime ved;

    RunningApp(RealStack stack, TopologyFile topology, List<DomainDefinition<?>> domains) throws Exception {
        this(stack, topology, domains, stack.registryUrl());
    }

    /** An application that reaches the registry at its own URL (e.g. through a proxy the test can cut). */
    RunningApp(RealStack stack, TopologyFile topology, List<DomainDefinition<?>> domains, String appRegistryUrl) throws Exception {
        this.stack = stack;
        this.appRegistryUrl = appRegistryUrl;
        this.topology = topology;
        this.domains = domains;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap()));
        this.registry = new HttpSchemaRegistry(stack.registryUrl());
        new TopicReconciler(admin).apply(TopicPlan.topicsToCreate(topology), List.of());
    }

    /** Starts (or restarts) the application on the given state directory and waits until it processes. */
    RunningApp start(Path stateDir) throws InterruptedException {
        return start(stateDir, Map.of());
    }

    /** Starts with these Kafka Streams settings added. */
    RunningApp start(Path stateDir, Map<String, Object> streamsConfig) throws InterruptedException {
        VedRuntime.Builder builder = VedRuntime.builder().topology(topology).domains(domains).bootstrapServers(stack.bootstrap())
                .schemaRegistry(appRegistryUrl).stateDir(stateDir)
                .streamsConfig("commit.interval.ms", 100);
        streamsConfig.forEach(builder::streamsConfig);
        ved = builder.build();
        ved.start();
        assertThat(ved.awaitRunning(WAIT)).as("application running").isTrue();
        return this;
    }

    VedRuntime ved() {
        return ved;
    }

    boolean isRunning() {
        return ved != null && ved.isRunning();
    }

    void stop() {
        if (ved != null) {
            ved.close();
            ved = null;
        }
    }

    void awaitQuiet() throws Exception {
        Quiescence.await(admin, topology.application(), topology.domains().stream().map(DomainTopic::topic).toList(), WAIT);
    }

    <S extends SpecificRecord> Map<String, S> states(DomainDefinition<S> domain) throws Exception {
        return new StateReader(stack.bootstrap(), new MessageCodec(registry)).states(topology, domain, WAIT);
    }

    List<DomainDefinition<?>> domains() {
        return domains;
    }

    TopologyFile topology() {
        return topology;
    }

    HttpSchemaRegistry registry() {
        return registry;
    }

    Admin admin() {
        return admin;
    }

    @Override
    public void close() {
        stop();
        admin.close();
        registry.close();
    }
}
