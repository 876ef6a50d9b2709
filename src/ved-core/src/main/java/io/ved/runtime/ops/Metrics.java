package io.ved.runtime.ops;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The process's Prometheus registry: added once to Micrometer's global registry (where Ved's own meters are), with
 * the JVM's meters bound to it; each Kafka Streams client's metrics are bound while it runs. One per JVM, because the
 * global registry is. Thread-safe.
 */
public final class Metrics {
    private static PrometheusMeterRegistry prometheus;

    private Metrics() {
    }

    /** The registry, created and added to the global one on the first call. */
    public static synchronized PrometheusMeterRegistry prometheus() {
        if (prometheus == null) {
            prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(prometheus);
            new JvmGcMetrics().bindTo(prometheus); // kept for the JVM's life, as the registry is
            new JvmThreadMetrics().bindTo(prometheus);
            new ClassLoaderMetrics().bindTo(prometheus);
            new ProcessorMetrics().bindTo(prometheus);
            new UptimeMetrics().bindTo(prometheus);
            io.micrometer.core.instrument.Metrics.globalRegistry.add(prometheus);
        }
        return prometheus;
    }

    /**
     * The gauges {@code ved.ready} (1 when {@link Health#ready()} passes, else 0: Prometheus cannot call the probe
     * itself) and {@code ved.restore.remaining} (changelog records still to restore), tagged with the application.
     * The gauges hold the objects weakly, as Micrometer's do: the caller keeps them.
     */
    public static void register(String application, Health health, RestoreProgress restores) {
        io.micrometer.core.instrument.Gauge.builder("ved.ready", health, h -> h.ready().ok() ? 1 : 0).tag("application", application)
                .description("1 when the instance processes (RUNNING, restored, registry answering), else 0").register(prometheus());
        io.micrometer.core.instrument.Gauge.builder("ved.restore.remaining", restores, RestoreProgress::remainingRecords)
                .tag("application", application).baseUnit("records")
                .description("changelog records the instance's active stores still have to restore").register(prometheus());
    }

    /**
     * Binds a Kafka Streams client's metrics and its embedded clients' (commit latency, rebalances, restores,
     * consumer lag) to the Prometheus registry; close the result when the client is replaced or stopped, so its
     * meters go with it.
     */
    public static KafkaStreamsMetrics bind(KafkaStreams streams) {
        KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(prometheus());
        return metrics;
    }
}
