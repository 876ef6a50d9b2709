package io.ved.cli;

import picocli.CommandLine.Option;

/**
 * {@code --command-config FILE}: Kafka client settings of a secured cluster, as Kafka's own tools take them, and the
 * registry client's ({@code schema.registry.*}). On the commands that talk to a secured cluster so far:
 * {@code topics apply}, {@code acls apply}, {@code run}, {@code send}.
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
        java.util.Properties properties = new java.util.Properties();
        try (java.io.Reader in = java.nio.file.Files.newBufferedReader(commandConfig)) {
            properties.load(in);
        } catch (java.io.IOException | RuntimeException e) {
            throw new UserError("--command-config " + commandConfig + " cannot be read (" + e.getClass().getSimpleName()
                    + "): give a Java properties file of Kafka client settings, e.g. security.protocol=SASL_SSL");
        }
        java.util.Map<String, Object> config = new java.util.LinkedHashMap<>();
        properties.stringPropertyNames().forEach(key -> config.put(key, properties.getProperty(key).trim()));
        return config;
    }

}
