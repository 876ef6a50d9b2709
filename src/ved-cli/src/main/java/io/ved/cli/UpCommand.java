package io.ved.cli;

import io.ved.tooling.stack.LocalStack;
import io.ved.tooling.stack.StackFile;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ved up}: a local broker and registry in the background, for {@code ved run} and {@code ved send}. */
@Command(name = "up", mixinStandardHelpOptions = true, description = {
        "Starts a local Kafka broker (KRaft) and Apicurio schema registry on 127.0.0.1 in the background,",
        "fresh each time, and writes their addresses to .ved/stack.json for the other commands. 'ved down' stops them."})
final class UpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        StackFile.read().ifPresent(running -> {
            throw new UserError("a stack is already up (Kafka " + running.bootstrapServers() + ", registry "
                    + running.registryUrl() + "): run './ved down' first");
        });
        LocalStack stack = LocalStack.start(StackFile.workDir(), out);
        StackFile.Stack info = stack.detach(StackFile.workDir());
        StackFile.write(info);
        out.println("Stack is up (Kafka pid " + info.kafkaPid() + ", registry pid " + info.registryPid() + "); addresses in "
                + StackFile.location());
        out.println("Next: './ved run' to run the example domains, './ved send ...' to send, './ved down' to stop.");
        return 0;
    }
}
