package io.ved.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The CLI reference ({@code docs/reference/cli-usage.md}), generated from the picocli command definitions with
 * picocli's own usage renderer, so it cannot drift from the code: a test compares the committed file with this.
 */
public final class CliReference {
    /** Wide enough for the option descriptions, and fixed, so the output is the same on every terminal. */
    static final int WIDTH = 120;

    private CliReference() {
    }

    /** The whole reference, one section per command and subcommand, in the order the CLI lists them. */
    public static String markdown() {
        StringBuilder out = new StringBuilder("""
                # `ved` command reference

                Generated from the command definitions (`io.ved.cli.CliReference`); `ved COMMAND --help` prints the same.
                [cli.md](cli.md) has the overview and examples.

                """);
        section(VedCli.commandLine(), out);
        return out.toString();
    }

    private static void section(CommandLine command, StringBuilder out) {
        command.setUsageHelpWidth(WIDTH);
        out.append("## `").append(command.getCommandSpec().qualifiedName()).append("`\n\n```\n")
                .append(command.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing()).append("\n```\n\n");
        command.getSubcommands().values().stream().distinct().forEach(sub -> section(sub, out));
    }

    /** Writes the reference to the given file: {@code java -cp ... io.ved.cli.CliReference docs/reference/cli-usage.md}. */
    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of(args[0]), markdown(), StandardCharsets.UTF_8);
    }
}
