package io.ved.cli;

import io.ved.runtime.VedRuntime;
import io.ved.runtime.topology.TopologyFile;
import io.ved.tooling.stack.StackFile;
import io.ved.tooling.state.EndpointRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ved run}: runs the domains as a Kafka Streams application until Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true, description = {
        "Runs the Ved application (the example domains by default) against the stack of 'ved up' or the given",
        "cluster, until Ctrl-C. Start more copies with their own --state-dir to scale out.",
        "Each copy opens an HTTP endpoint (loopback by default; --query-host/--query-port): /state/{type}/{id}",
        "for 'ved state', /metrics for Prometheus, /health/live and /health/ready for Kubernetes' probes; it is",
        "registered in .ved/endpoints/<application>-<pid> while it runs."})
final class RunCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;
    @Mixin
    AppOptions app;
    @Option(names = "--state-dir", paramLabel = "DIR", description = "local state (default: .ved/state/<application>)")
    Path stateDir;
    @Option(names = "--threads", defaultValue = "1", description = "stream threads (default: ${DEFAULT-VALUE})")
    int threads;
    @Option(names = "--instance-id", paramLabel = "ID", description = {
            "static membership: this instance's stable name in the group (group.instance.id), so a restart with the",
            "same id gets its tasks back without a rebalance; each running instance needs its own"})
    String instanceId;
    @Option(names = "--standby-replicas", paramLabel = "N", defaultValue = "0",
            description = "warm copies of each task's state on other instances (num.standby.replicas; default: ${DEFAULT-VALUE})")
    int standbyReplicas;
    @Option(names = "--rebalance-protocol", paramLabel = "PROTOCOL", defaultValue = "classic", description = {
            "classic, or streams: broker-driven task assignment (KIP-1071, group.protocol=streams; standbys are then",
            "a broker-side group setting, not --standby-replicas) (default: ${DEFAULT-VALUE})"})
    String rebalanceProtocol;
    @Option(names = "--transactional-stores", description = {
            "transactional state stores (KIP-892): after a crash an exactly-once task keeps its local state",
            "instead of wiping and restoring it from the changelog"})
    boolean transactionalStores;
    @Option(names = "--no-create-topics", negatable = false, description = "do not create missing topics first")
    boolean noCreateTopics;
    @Option(names = "--config", paramLabel = "KEY=VALUE", description = {
            "a Kafka Streams (or prefixed client) setting, overriding Ved's default; repeatable,",
            "e.g. --config commit.interval.ms=100 --config producer.transaction.timeout.ms=5000"})
    Map<String, String> config = new LinkedHashMap<>();
    @Option(names = "--query-port", paramLabel = "PORT", defaultValue = "0",
            description = "port of the HTTP endpoint (state, /metrics, /health/*; 0: any free port; -1: none; default: ${DEFAULT-VALUE})")
    int queryPort;
    @Option(names = "--query-host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "address the HTTP endpoint binds to and announces to the other instances; 0.0.0.0 in a pod (default: ${DEFAULT-VALUE})")
    String queryHost;
    @Mixin
    SecurityOptions security;
    @Spec
    CommandSpec spec;

    @SuppressWarnings("try") // the shutdown hook closes the application early; closing twice is safe
    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        TopologyFile file = app.topologyFile();
        if (!noCreateTopics) {
            try (Admin admin = KafkaAdmin.connect(connection, security)) {
                TopicsCommand.Apply.apply(admin, file, app);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof org.apache.kafka.common.errors.AuthorizationException) {
                    throw new UserError("this principal may not create or describe the topology's topics ("
                            + e.getCause().getMessage() + "): create them as an admin with 'ved topics apply' and pass --no-create-topics");
                }
                throw e;
            }
        }
        Path state = stateDir != null ? stateDir : StackFile.home().resolve(".ved/state/" + file.application());
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        VedRuntime.Builder builder = VedRuntime.builder().topology(file).domains(app.domains())
                .bootstrapServers(connection.bootstrap()).schemaRegistry(connection.registry())
                .stateDir(state).streamsConfig("num.stream.threads", threads);
        security.clientConfig().forEach(builder::streamsConfig);
        try {
            builder.standbyReplicas(standbyReplicas);
            if (instanceId != null) {
                builder.instanceId(instanceId);
            }
        } catch (IllegalArgumentException e) {
            throw new UserError((instanceId != null && e.getMessage().startsWith("instance id") ? "--instance-id: " : "--standby-replicas: ")
                    + e.getMessage());
        }
        switch (rebalanceProtocol.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "classic" -> { }
            case "streams" -> builder.streamsRebalanceProtocol();
            default -> throw new UserError("--rebalance-protocol " + rebalanceProtocol + " is not known: use classic or streams");
        }
        if (transactionalStores) {
            builder.transactionalStateStores();
        }
        config.forEach(builder::streamsConfig);
        if (queryPort >= 0) {
            builder.stateEndpoint(queryHost, queryPort);
        }
        AtomicReference<EndpointRegistry.Registration> registration = new AtomicReference<>();
        try (VedRuntime ved = builder.build()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopping.set(true);
                out.println("Stopping " + file.application() + "...");
                out.flush();
                Optional.ofNullable(registration.getAndSet(null)).ifPresent(EndpointRegistry.Registration::close);
                ved.close();
                stopped.countDown();
            }, "ved-shutdown"));
            ved.start();
            ved.stateEndpoint().ifPresent(at -> registration.set(
                    EndpointRegistry.register(file.application(), at.getHostString() + ":" + at.getPort())));
            out.println("Running " + file.application() + " (" + file.typeNames() + ") on " + connection.bootstrap()
                    + ", state in " + state + ". Ctrl-C to stop.");
            ved.stateEndpoint().ifPresent(at -> out.println("HTTP endpoint: http://" + at.getHostString() + ":" + at.getPort()
                    + " (/state/{type}/{id}, which 'ved state' finds; /metrics; /health/live; /health/ready)"));
            out.flush();
            while (!stopped.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
                if (!ved.isRunning() && !stopping.get()) {
                    throw new IllegalStateException(file.application() + " stopped unexpectedly; see the log above");
                }
            }
        } finally {
            Optional.ofNullable(registration.getAndSet(null)).ifPresent(EndpointRegistry.Registration::close);
        }
        return 0;
    }
}
