package io.ved.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/**
 * The {@code ved} command. Each subcommand is a thin layer over runtime or tooling classes. Errors are one
 * line on stderr with what to do about them, never a stack trace (set VED_DEBUG=1 to see one).
 */
@Command(name = "ved", mixinStandardHelpOptions = true, versionProvider = VedVersion.class,
        description = "Durable, asynchronous messaging between domains on Kafka Streams.",
        subcommands = {DemoCommand.class, UpCommand.class, DownCommand.class, RunCommand.class, SendCommand.class,
                TopicsCommand.class, AclsCommand.class, SchemasCommand.class, DlqCommand.class, TraceCommand.class, ReplayCommand.class, StateCommand.class,
                VerifyCommand.class, StormsCommand.class, BenchCommand.class, NewCommand.class, CommandLine.HelpCommand.class})
public final class VedCli implements Runnable {

    /** Bad arguments or input: the user can fix it. */
    public static final int USAGE_ERROR = 2;
    /** Something failed while running: a broker, registry or check. */
    public static final int FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new VedCli());
        cli.setParameterExceptionHandler(VedCli::badArguments);
        cli.setExecutionExceptionHandler((e, line, parsed) -> failed(e, line));
        // each command starts without, and leaves no, --command-config settings behind: in one JVM (tests, an IDE)
        // one command's credentials must never reach the next command's clients
        cli.setExecutionStrategy(parsed -> {
            io.ved.runtime.ToolClients.use(java.util.Map.of());
            try {
                return new CommandLine.RunLast().execute(parsed);
            } finally {
                io.ved.runtime.ToolClients.use(java.util.Map.of());
            }
        });
        return cli;
    }

    private static int badArguments(ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("ved: " + e.getMessage());
        err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
        return USAGE_ERROR;
    }

    private static int failed(Exception e, CommandLine line) {
        PrintWriter err = line.getErr();
        if (e instanceof UserError user) {
            err.println("ved: " + user.getMessage());
            return USAGE_ERROR;
        }
        err.println("ved: " + oneLine(e));
        if (System.getenv("VED_DEBUG") != null) {
            e.printStackTrace(err);
        } else {
            err.println("(set VED_DEBUG=1 to see the stack trace)");
        }
        return FAILED;
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline) + " ...";
    }
}
