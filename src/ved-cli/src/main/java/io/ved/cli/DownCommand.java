package io.ved.cli;

import io.ved.tooling.stack.ProcessStopper;
import io.ved.tooling.stack.StackFile;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ved down}: stops what {@code ved up} started and says what it stopped. */
@Command(name = "down", mixinStandardHelpOptions = true, description = "Stops the local Kafka broker and schema registry started by 'ved up'.")
final class DownCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        StackFile.Stack stack = StackFile.read().orElseThrow(() ->
                new UserError("no stack is up (no " + StackFile.location() + "); nothing to stop"));
        attachedGroups(stack.bootstrapServers()).forEach((group, members) -> out.println("warning: " + group + " has "
                + members + " running member(s) on this broker (a 'ved run', or another application): they lose their "
                + "broker now and retry until one is back; stop them first (Ctrl-C) for a clean end"));
        report(out, "Schema registry", stack.registryPid(), ProcessStopper.stop(stack.registryPid(), "quarkus-run.jar", Duration.ofSeconds(15)));
        // every broker of a cluster at once: stopped one by one, the last would wait for a quorum that is gone
        Map<Long, java.util.concurrent.Future<ProcessStopper.Outcome>> stopping = new java.util.LinkedHashMap<>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            stack.kafkaPids().forEach(pid -> stopping.put(pid, threads.submit(
                    () -> ProcessStopper.stop(pid, "kafka.Kafka", Duration.ofSeconds(30)))));
        }
        stopping.forEach((pid, outcome) -> report(out, stack.brokers() > 1 ? "Kafka node" : "Kafka broker", pid, outcome.resultNow()));
        StackFile.delete();
        return 0;
    }

    /**
     * The consumer groups (Kafka Streams applications among them) with running members, by group id; empty when the
     * broker does not answer quickly, since then nothing can be attached to it.
     */
    static Map<String, Integer> attachedGroups(String bootstrap) {
        Map<String, Integer> attached = new TreeMap<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000))) {
            List<String> groups = admin.listGroups().all().get(5, TimeUnit.SECONDS).stream()
                    .map(GroupListing::groupId).toList();
            if (groups.isEmpty()) {
                return attached;
            }
            admin.describeConsumerGroups(groups).all().get(5, TimeUnit.SECONDS).forEach((id, group) -> {
                if (!group.members().isEmpty()) {
                    attached.put(id, group.members().size());
                }
            });
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // a broker that does not answer has nobody attached worth warning about
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return attached;
    }

    private static void report(PrintWriter out, String what, long pid, ProcessStopper.Outcome outcome) {
        out.println(switch (outcome) {
            case STOPPED -> "Stopped " + what + " (pid " + pid + ")";
            case KILLED -> "Killed " + what + " (pid " + pid + ") after it ignored the stop request";
            case NOT_RUNNING -> what + " (pid " + pid + ") was not running any more";
            case NOT_OURS -> what + ": pid " + pid + " now belongs to another program; left it alone";
        });
    }
}
