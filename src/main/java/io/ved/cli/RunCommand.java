package io.ved.cli;

import io.ved.api.Ved;
import io.ved.runtime.topology.TopologyFile;
import io.ved.tooling.stack.StackFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ved run}: runs the domains as a Kafka Streams application until Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true, description = {
        "Runs the Ved application (the example domains by default) against the stack of 'ved up' or the given",
        "cluster, until Ctrl-C. Start more copies with their own --state-dir to scale out."})
final class RunCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;
    @Mixin
    AppOptions app;
    @Option(names = "--state-dir", paramLabel = "DIR", description = "local state (default: .ved/state/<application>)")
    Path stateDir;
    @Option(names = "--threads", defaultValue = "1", description = "stream threads (default: ${DEFAULT-VALUE})")
    int threads;
    @Option(names = "--no-create-topics", negatable = false, description = "do not create missing topics first")
    boolean noCreateTopics;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        TopologyFile file = app.topologyFile();
        if (!noCreateTopics) {
            try (Admin admin = KafkaAdmin.connect(connection.bootstrap())) {
                TopicsCommand.Apply.apply(admin, file, app);
            }
        }
        Path state = stateDir != null ? stateDir : StackFile.home().resolve(".ved/state/" + file.application());
        CountDownLatch stopped = new CountDownLatch(1);
        try (Ved ved = Ved.builder().topology(file).domains(app.domains())
                .bootstrapServers(connection.bootstrap()).schemaRegistry(connection.registry())
                .stateDir(state).streamsConfig("num.stream.threads", threads).build()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                out.println("Stopping " + file.application() + "...");
                out.flush();
                ved.close();
                stopped.countDown();
            }, "ved-shutdown"));
            ved.start();
            out.println("Running " + file.application() + " (" + file.typeNames() + ") on " + connection.bootstrap()
                    + ", state in " + state + ". Ctrl-C to stop.");
            out.flush();
            while (!stopped.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
                if (!ved.isRunning()) {
                    throw new IllegalStateException(file.application() + " stopped unexpectedly; see the log above");
                }
            }
        }
        return 0;
    }
}
