package io.ved.cli;

import io.ved.runtime.topology.TopologyFile;
import io.ved.tooling.topics.TopicPlan;
import io.ved.tooling.topics.TopicReconciler;
import io.ved.tooling.topics.TopicReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ved topics apply}: creates the topology's topics and reports drift, destroying nothing. */
@Command(name = "topics", mixinStandardHelpOptions = true, description = "Manage the topics of the topology file.", subcommands = TopicsCommand.Apply.class)
final class TopicsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "apply", mixinStandardHelpOptions = true, description = {
            "Creates missing topics (inboxes, dead letters, replies) with the partitions, replication and retention",
            "of the topology file, and reports existing topics that differ from it (drift) without changing them.",
            "Exit code 0 when everything matches, 3 when drift was found."})
    static final class Apply implements Callable<Integer> {
        static final int DRIFT = 3;

        @Mixin
        ConnectionOptions connection;
        @Mixin
        AppOptions app;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            TopologyFile file = app.topologyFile();
            PrintWriter out = spec.commandLine().getOut();
            try (Admin admin = KafkaAdmin.connect(connection.bootstrap())) {
                List<TopicReport> reports = apply(admin, file, app);
                out.println("Topics of '" + file.application() + "' on " + connection.bootstrap() + ":");
                reports.forEach(r -> out.println("  " + r.describe().replace("\n", "\n  ")));
                boolean drift = reports.stream().anyMatch(r -> r.status() == TopicReport.Status.DRIFT);
                out.println(drift ? "Drift found: nothing was changed; see the hints above." : "All topics match the topology file.");
                return drift ? DRIFT : 0;
            }
        }

        static List<TopicReport> apply(Admin admin, TopologyFile file, AppOptions app) throws Exception {
            return new TopicReconciler(admin).apply(TopicPlan.topicsToCreate(file), TopicPlan.changelogs(file, app.catalog().localDomains()));
        }
    }
}
