package io.ved.cli;

import io.ved.tooling.stack.LocalStack;
import io.ved.tooling.stack.StackFile;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ved up}: a local broker and registry in the background, for {@code ved run} and {@code ved send}. */
@Command(name = "up", mixinStandardHelpOptions = true, description = {
        "Starts a local Kafka broker (KRaft; --brokers 3 for a replicated cluster) and Apicurio schema registry on 127.0.0.1 in the background,",
        "fresh each time, and writes their addresses to .ved/stack.json for the other commands. 'ved down' stops them."})
final class UpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--brokers", paramLabel = "N", defaultValue = "1",
            description = "how many Kafka nodes: 1 (the default) is one combined KRaft node; 3 is a cluster of separate "
                    + "broker-and-controller processes with replication factor 3 and min.insync.replicas 2")
    int brokers;

    @Override
    public Integer call() {
        if (brokers < 1 || brokers > 9) {
            throw new UserError("--brokers " + brokers + " is not a cluster size this machine can run: give 1 to 9 (3 for a replicated cluster)");
        }
        PrintWriter out = spec.commandLine().getOut();
        StackFile.read().ifPresent(running -> {
            throw new UserError("a stack is already up (Kafka " + running.bootstrapServers() + ", registry "
                    + running.registryUrl() + "): run './ved down' first");
        });
        LocalStack stack = LocalStack.start(StackFile.workDir(), brokers, out);
        StackFile.Stack info = stack.detach(StackFile.workDir());
        StackFile.write(info);
        out.println("Stack is up (Kafka pid" + (info.brokers() > 1 ? "s " : " ")
                + info.kafkaPids().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                + ", registry pid " + info.registryPid() + "); addresses in " + StackFile.location());
        out.println("Next: './ved run' to run the example domains, './ved send ...' to send, './ved down' to stop.");
        return 0;
    }
}
