package io.ved.cli;

import io.ved.tooling.stack.ProcessStopper;
import io.ved.tooling.stack.StackFile;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
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
        report(out, "Schema registry", stack.registryPid(), ProcessStopper.stop(stack.registryPid(), "quarkus-run.jar", Duration.ofSeconds(15)));
        report(out, "Kafka broker", stack.kafkaPid(), ProcessStopper.stop(stack.kafkaPid(), "kafka.Kafka", Duration.ofSeconds(30)));
        StackFile.delete();
        return 0;
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
