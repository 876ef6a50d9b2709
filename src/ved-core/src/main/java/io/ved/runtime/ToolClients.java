package io.ved.runtime;

import java.util.HashMap;
import java.util.Map;

/**
 * Kafka client settings that every client Ved's tools open takes besides its own: the security settings
 * ({@code security.*}, {@code sasl.*}, {@code ssl.*}) of the CLI's {@code --command-config}, set once per command.
 * Empty unless set: a running application passes its settings to its clients explicitly and never sets these.
 * Thread-safe.
 */
public final class ToolClients {
    private static volatile Map<String, Object> security = Map.of();

    private ToolClients() {
    }

    /** The settings every tool client takes from now on; {@code schema.registry.*} keys are left out (not Kafka's). */
    public static void use(Map<String, ?> settings) {
        security = Map.copyOf(io.ved.envelope.registry.HttpSchemaRegistry.withoutRegistrySettings(settings));
    }

    /** A client's own settings on top of the tools' security settings; a new, mutable map. */
    public static Map<String, Object> with(Map<String, ?> own) {
        Map<String, Object> config = new HashMap<>(security);
        config.putAll(own);
        return config;
    }
}
