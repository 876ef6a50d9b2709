package io.ved.cli;

import picocli.CommandLine.Option;

/**
 * {@code --command-config FILE}: Kafka client settings of a secured cluster, as Kafka's own tools take them, and the
 * registry client's ({@code schema.registry.*}). On the commands that talk to a secured cluster so far:
 * {@code topics apply}, {@code acls apply}, {@code run}, {@code send}, {@code trace}, {@code dlq}, {@code replay},
 * {@code state}, {@code storms}.
 */
public final class SecurityOptions {
    @Option(names = "--command-config", paramLabel = "FILE",
            description = "Kafka client settings for a secured cluster (security.protocol, sasl.*, ssl.*), as Kafka's tools take them")
    java.nio.file.Path commandConfig;

    /**
     * The settings of {@code --command-config}, empty without it; never printed (they hold passwords).
     *
     * @throws UserError naming the file when it cannot be read
     */
    java.util.Map<String, Object> clientConfig() {
        if (commandConfig == null) {
            return java.util.Map.of();
        }
        try {
            return io.ved.runtime.ClientConfigFile.read(commandConfig);
        } catch (java.io.IOException | RuntimeException e) {
            throw new UserError("--command-config " + commandConfig + " cannot be read (" + e.getClass().getSimpleName()
                    + "): give a Java properties file of Kafka client settings, e.g. security.protocol=SASL_SSL");
        }
    }

    /**
     * Makes every Kafka client the command opens from now on take the file's security settings, and returns them all.
     *
     * @throws UserError naming the file when it cannot be read
     */
    java.util.Map<String, Object> install() {
        java.util.Map<String, Object> config = clientConfig();
        io.ved.runtime.ToolClients.use(config);
        return config;
    }

    /** A registry client with the file's {@code schema.registry.*} settings (basic auth, truststore), if any. */
    io.ved.envelope.registry.HttpSchemaRegistry registry(String url) {
        try {
            return io.ved.envelope.registry.HttpSchemaRegistry.configured(url, clientConfig());
        } catch (IllegalArgumentException e) {
            throw new UserError("--command-config: " + e.getMessage());
        }
    }
}
