package io.ved.cli;

import io.ved.envelope.registry.HttpSchemaRegistry;
import io.ved.runtime.topology.SchemaCompatibility;
import io.ved.runtime.topology.TopologyFile;
import io.ved.tooling.topics.SubjectReconciler;
import io.ved.runtime.TopicPlan;
import io.ved.tooling.topics.TopicReconciler;
import io.ved.tooling.topics.TopicReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

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
            "When the topology file sets 'compatibility:', sets it on the schema subjects (messages and states) that",
            "have no level of their own, and reports a different level as drift.",
            "Exit code 0 when everything matches, 3 when drift was found."})
    static final class Apply implements Callable<Integer> {
        static final int DRIFT = 3;

        @Mixin
        ConnectionOptions connection;
        @Mixin
        AppOptions app;
        @Mixin
        SecurityOptions security;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            TopologyFile file = app.topologyFile();
            PrintWriter out = spec.commandLine().getOut();
            try (Admin admin = KafkaAdmin.connect(connection, security)) {
                List<TopicReport> reports = apply(admin, file, app);
                out.println("Topics of '" + file.application() + "' on " + connection.bootstrap() + ":");
                reports.forEach(r -> out.println("  " + r.describe().replace("\n", "\n  ")));
                boolean drift = reports.stream().anyMatch(r -> r.status() == TopicReport.Status.DRIFT);
                drift |= applyCompatibility(out);
                out.println(drift ? "Drift found: nothing was changed; see the hints above." : "All topics match the topology file.");
                return drift ? DRIFT : 0;
            }
        }

        /** The subjects' compatibility levels, when the topology file sets any; true on drift. */
        private boolean applyCompatibility(PrintWriter out) {
            Map<String, SchemaCompatibility> wanted = app.catalog().compatibilityBySubject();
            if (wanted.isEmpty()) {
                return false;
            }
            try (HttpSchemaRegistry registry = HttpSchemaRegistry.configured(connection.registry(), security.clientConfig())) {
                List<SubjectReconciler.SubjectReport> reports = new SubjectReconciler(registry).apply(wanted);
                out.println("Schema compatibility on " + connection.registry() + ":");
                reports.forEach(r -> out.println("  " + r.describe().replace("\n", "\n  ")));
                return reports.stream().anyMatch(r -> r.status() == SubjectReconciler.SubjectReport.Status.DRIFT);
            }
        }

        static List<TopicReport> apply(Admin admin, TopologyFile file, AppOptions app) throws Exception {
            return new TopicReconciler(admin).apply(TopicPlan.topicsToCreate(file), TopicPlan.changelogs(file, app.catalog().localDomains()));
        }
    }
}
