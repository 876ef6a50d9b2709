package io.ved.cli;

import io.ved.tooling.stack.StackFile;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where Kafka and the schema registry are: a flag, else the stack {@code ved up} started, else localhost defaults. */
public final class ConnectionOptions {
    static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    static final String DEFAULT_REGISTRY = "http://127.0.0.1:8081/apis/ccompat/v7";

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: the stack of 'ved up', else " + DEFAULT_BOOTSTRAP + ")")
    String bootstrap;

    @Option(names = "--registry", paramLabel = "URL",
            description = "Confluent-compatible schema registry URL (default: the stack of 'ved up', else " + DEFAULT_REGISTRY + ")")
    String registry;

    public String bootstrap() {
        return Optional.ofNullable(bootstrap)
                .or(() -> StackFile.read().map(StackFile.Stack::bootstrapServers))
                .orElse(DEFAULT_BOOTSTRAP);
    }

    public String registry() {
        return Optional.ofNullable(registry)
                .or(() -> StackFile.read().map(StackFile.Stack::registryUrl))
                .orElse(DEFAULT_REGISTRY);
    }
}
