package io.ved.cli;

import io.ved.runtime.AclPlan;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ved acls}: the least-privilege ACLs of one application, printed or applied. */
@Command(name = "acls", mixinStandardHelpOptions = true, subcommands = AclsCommand.Apply.class, description = {
        "Prints exactly the Kafka ACLs the application needs to run (its inboxes, the inboxes its domains send to,",
        "its internal topics, consumer group and transactional ids, dead letters and replies), for a broker with an",
        "authorizer and allow.everyone.if.no.acl.found=false. 'ved acls apply' creates them."})
final class AclsCommand implements Callable<Integer> {
    @Mixin
    AppOptions app;
    // not required here: picocli would then ask for it on 'acls' even when 'acls apply' has it
    @Option(names = "--principal", paramLabel = "TYPE:NAME",
            description = "who the application authenticates as, e.g. User:orders-app (required)")
    String principal;
    @Option(names = "--host", paramLabel = "HOST", defaultValue = "*",
            description = "the host the ACLs allow (default: ${DEFAULT-VALUE}, any)")
    String host;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (principal == null) {
            throw new UserError("--principal is missing: name who the application authenticates as, e.g. --principal User:orders-app");
        }
        PrintWriter out = spec.commandLine().getOut();
        List<AclBinding> plan = plan(app, principal, host);
        out.println("ACLs of '" + app.topologyFile().application() + "' for " + principal + " (" + plan.size() + "):");
        plan.forEach(acl -> out.println("  " + AclPlan.describe(acl)));
        return 0;
    }

    static List<AclBinding> plan(AppOptions app, String principal, String host) {
        try {
            return AclPlan.forApplication(app.topologyFile(), app.domains(), principal, host);
        } catch (IllegalArgumentException e) {
            throw new UserError("--principal: " + e.getMessage());
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true, description = {
            "Creates the application's ACLs that are missing (with the Admin API) and lists, without removing them, the",
            "principal's ACLs the application does not need. --dry-run only prints the difference.",
            "Needs a principal allowed to ALTER the cluster's ACLs: pass its settings with --command-config."})
    static final class Apply implements Callable<Integer> {
        @Mixin
        ConnectionOptions connection;
        @Mixin
        SecurityOptions security;
        @Mixin
        AppOptions app;
        @Option(names = "--principal", required = true, paramLabel = "TYPE:NAME",
                description = "who the application authenticates as, e.g. User:orders-app")
        String principal;
        @Option(names = "--host", paramLabel = "HOST", defaultValue = "*", description = "the host the ACLs allow (default: ${DEFAULT-VALUE})")
        String host;
        @Option(names = "--dry-run", description = "print what would be created, change nothing")
        boolean dryRun;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            List<AclBinding> plan = plan(app, principal, host);
            try (Admin admin = KafkaAdmin.connect(connection, security)) {
                Collection<AclBinding> existing = existing(admin, principal);
                List<AclBinding> missing = plan.stream().filter(acl -> !existing.contains(acl)).toList();
                out.println("ACLs of '" + app.topologyFile().application() + "' for " + principal + " on " + connection.bootstrap()
                        + (dryRun ? " (dry run: nothing changes)" : "") + ":");
                plan.forEach(acl -> out.println((existing.contains(acl) ? "  = " : "  + ") + AclPlan.describe(acl)));
                existing.stream().filter(acl -> !plan.contains(acl))
                        .forEach(acl -> out.println("  ? " + AclPlan.describe(acl) + "  (not needed by the application; left as it is)"));
                if (!dryRun && !missing.isEmpty()) {
                    await(() -> admin.createAcls(missing).all().get(30, TimeUnit.SECONDS));
                    awaitVisible(admin, principal, missing);
                }
                out.println((dryRun ? "Would create " : "Created ") + missing.size() + ", kept " + (plan.size() - missing.size()) + ".");
                return 0;
            }
        }

        /**
         * The controller has the new ACLs once createAcls returns; the brokers apply them a moment later. Waiting for
         * them lets an application started right after find them (its start-up check asks a broker).
         */
        private static void awaitVisible(Admin admin, String principal, List<AclBinding> created) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!existing(admin, principal).containsAll(created)) {
                if (System.nanoTime() > deadline) {
                    throw new UserError("the broker accepted the ACLs but did not show them within 30 s: check with 'ved acls apply --dry-run'");
                }
                Thread.sleep(200);
            }
        }

        private static Collection<AclBinding> existing(Admin admin, String principal) throws Exception {
            AclBindingFilter mine = new AclBindingFilter(ResourcePatternFilter.ANY,
                    new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY));
            List<AclBinding> found = new ArrayList<>();
            await(() -> found.addAll(admin.describeAcls(mine).values().get(30, TimeUnit.SECONDS)));
            return found;
        }

        private interface Call {
            void run() throws Exception;
        }

        private static void await(Call call) throws Exception {
            try {
                call.run();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof SecurityDisabledException) {
                    throw new UserError("the broker has no authorizer (authorizer.class.name is not set): ACLs cannot be "
                            + "listed or created there");
                }
                if (e.getCause() instanceof ClusterAuthorizationException) {
                    throw new UserError("the principal of --command-config may not describe or alter ACLs: use one allowed "
                            + "to ALTER and DESCRIBE the cluster (a super user, or one with those ACLs)");
                }
                throw e;
            }
        }
    }
}
