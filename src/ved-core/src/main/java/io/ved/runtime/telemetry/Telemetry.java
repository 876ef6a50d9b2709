package io.ved.runtime.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.Map;

/**
 * Where Ved's OpenTelemetry comes from. Off unless the standard variables ask for it
 * ({@code OTEL_TRACES_EXPORTER}, or an {@code OTEL_EXPORTER_OTLP_*ENDPOINT}), and never when
 * {@code OTEL_SDK_DISABLED=true}; then the SDK is configured from the {@code OTEL_*} variables as usual.
 */
public final class Telemetry {
    private Telemetry() {
    }

    public static OpenTelemetry fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static OpenTelemetry fromEnvironment(Map<String, String> env) {
        if ("true".equalsIgnoreCase(env.get("OTEL_SDK_DISABLED")) || !asked(env)) {
            return OpenTelemetry.noop();
        }
        return AutoConfiguredOpenTelemetrySdk.initialize().getOpenTelemetrySdk();
    }

    static boolean asked(Map<String, String> env) {
        String exporter = env.get("OTEL_TRACES_EXPORTER");
        boolean exporterChosen = exporter != null && !exporter.isBlank() && !"none".equalsIgnoreCase(exporter);
        return exporterChosen || env.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT") || env.containsKey("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    }
}
