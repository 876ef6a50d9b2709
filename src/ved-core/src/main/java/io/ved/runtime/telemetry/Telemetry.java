package io.ved.runtime.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Ved's OpenTelemetry comes from. Off unless the standard variables ask for it
 * ({@code OTEL_TRACES_EXPORTER}, or an {@code OTEL_EXPORTER_OTLP_*ENDPOINT}), and never when
 * {@code OTEL_SDK_DISABLED=true}; then the SDK is configured from the {@code OTEL_*} variables as usual. The SDK is an
 * optional dependency of ved-core (the CLI has it): an application that asks for traces adds it.
 */
public final class Telemetry {
    private static final Logger LOG = LoggerFactory.getLogger(Telemetry.class);
    private Telemetry() {
    }

    public static OpenTelemetry fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static OpenTelemetry fromEnvironment(Map<String, String> env) {
        if ("true".equalsIgnoreCase(env.get("OTEL_SDK_DISABLED")) || !asked(env)) {
            return OpenTelemetry.noop();
        }
        try {
            return Sdk.initialize();
        } catch (NoClassDefFoundError e) {
            LOG.warn("OTEL_* variables ask for traces, but the OpenTelemetry SDK is not on the classpath ({}): add "
                    + "io.opentelemetry:opentelemetry-sdk-extension-autoconfigure and an exporter such as "
                    + "opentelemetry-exporter-otlp to the application; tracing stays off", e.getMessage());
            return OpenTelemetry.noop();
        }
    }

    /** Loaded only when traces are asked for, so that ved-core runs without the SDK (an optional dependency). */
    private static final class Sdk {
        static OpenTelemetry initialize() {
            return AutoConfiguredOpenTelemetrySdk.initialize().getOpenTelemetrySdk();
        }
    }

    static boolean asked(Map<String, String> env) {
        String exporter = env.get("OTEL_TRACES_EXPORTER");
        boolean exporterChosen = exporter != null && !exporter.isBlank() && !"none".equalsIgnoreCase(exporter);
        return exporterChosen || env.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT") || env.containsKey("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    }
}
