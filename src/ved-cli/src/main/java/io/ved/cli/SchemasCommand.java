package io.ved.cli;

import io.ved.envelope.registry.HttpSchemaRegistry;
import io.ved.runtime.DomainCatalog;
import io.ved.runtime.UpgradeCheck;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ved schemas check}: the start-up schema check of an application, without starting it, for CI pipelines. */
@Command(name = "schemas", mixinStandardHelpOptions = true, description = "Check an application's schemas against the registry.",
        subcommands = SchemasCommand.Check.class)
final class SchemasCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "check", mixinStandardHelpOptions = true, description = {
            "Checks, without starting anything or registering a schema, what an application checks at start-up: each",
            "domain's state schema must read every stored version of its subject (at least BACKWARD_TRANSITIVE), and each",
            "message schema it sends must read and be read by the latest version (at least FULL), or the topology file's",
            "stricter level. One line per problem, naming the domain type, the schema, the version, the field and the rule.",
            "Exit code 0 when every schema may join, 3 when one may not."},
            footer = {"", "Examples:",
                    "  ved schemas check --app target/orders-1.0.jar --registry http://registry:8080/apis/ccompat/v7",
                    "  ved schemas check          the example application, against the stack of 'ved up'"})
    static final class Check implements Callable<Integer> {
        static final int INCOMPATIBLE = 3;

        @Mixin
        ConnectionOptions connection;
        @Mixin
        AppOptions app;
        @Mixin
        SecurityOptions security;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            DomainCatalog catalog = app.catalog();
            List<String> problems;
            try (HttpSchemaRegistry registry = security.registry(connection.registry())) {
                problems = UpgradeCheck.problems(catalog, registry);
            }
            problems.forEach(out::println);
            if (problems.isEmpty()) {
                out.println("OK: the state and sent message schemas of " + catalog.topologyFile().application()
                        + " (" + app.describe() + ") may join " + connection.registry());
                return 0;
            }
            out.println(problems.size() + " problem(s): " + catalog.topologyFile().application() + " would be refused at start-up; "
                    + "see docs/UPGRADES.md for the safe changes");
            return INCOMPATIBLE;
        }
    }
}
