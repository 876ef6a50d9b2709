package io.ved.runtime.ops;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Liveness and readiness of one application instance, as Kubernetes probes ask for them.
 *
 * <ul>
 *   <li><b>Live</b> unless the instance can no longer recover by itself: Kafka Streams in {@code ERROR},
 *       {@code PENDING_ERROR} or {@code NOT_RUNNING} without having been asked to stop, or a failed replacement of a
 *       stuck instance. A restart is the cure then.</li>
 *   <li><b>Ready</b> when Kafka Streams is {@code RUNNING}, no active store is being restored, and the schema registry
 *       answers. Not ready while starting, rebalancing, restoring or during a registry outage: the instance would
 *       not process now, but it recovers by itself.</li>
 * </ul>
 * The registry is probed at most once per {@link #PROBE_EVERY}, so frequent probes do not load it. Thread-safe.
 */
public final class Health {
    /** How long one registry probe's answer is reused. */
    public static final Duration PROBE_EVERY = Duration.ofSeconds(2);

    /** One probe's answer: whether it passed, and why in one line. */
    public record Verdict(boolean ok, String reason) {
    }

    /** What the instance says about itself besides Kafka Streams' state. */
    public interface Instance {
        /** The Kafka Streams client's state, or null before it starts. */
        KafkaStreams.State state();

        /** Whether it was asked to stop (a stopped instance is not a dead one). */
        boolean closing();

        /** Why it cannot recover by itself any more (a failed replacement), if so. */
        Optional<String> failure();
    }

    private final Instance instance;
    private final RestoreProgress restores;
    private final Supplier<Optional<String>> registryProbe;
    private final Object probeLock = new Object();
    private long probedAt = Long.MIN_VALUE;
    private Optional<String> registryProblem = Optional.empty();

    /**
     * @param registryProbe empty when the registry answers, else what is wrong; called at most every
     *                      {@link #PROBE_EVERY}
     */
    public Health(Instance instance, RestoreProgress restores, Supplier<Optional<String>> registryProbe) {
        this(instance, restores, registryProbe, System::nanoTime);
    }

    /** With a clock of its own (nanoseconds), for tests that move time instead of waiting for it. */
    Health(Instance instance, RestoreProgress restores, Supplier<Optional<String>> registryProbe, java.util.function.LongSupplier nanos) {
        this.instance = instance;
        this.restores = restores;
        this.registryProbe = registryProbe;
        this.nanos = nanos;
    }

    private final java.util.function.LongSupplier nanos;

    /** Whether the process should keep running (a failing liveness probe restarts it). */
    public Verdict live() {
        Optional<String> failure = instance.failure();
        if (failure.isPresent()) {
            return new Verdict(false, failure.get());
        }
        KafkaStreams.State state = instance.state();
        if (state == null) {
            return new Verdict(true, "starting");
        }
        boolean dead = state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                || (state == KafkaStreams.State.NOT_RUNNING && !instance.closing());
        return dead ? new Verdict(false, "Kafka Streams is " + state + ": the instance stopped processing for good; restart it")
                : new Verdict(true, "Kafka Streams is " + state);
    }

    /** Whether the instance processes now (a failing readiness probe takes it out of a Service, no restart). */
    public Verdict ready() {
        KafkaStreams.State state = instance.state();
        if (state == null) {
            return new Verdict(false, "starting: Kafka Streams has not started yet");
        }
        if (state != KafkaStreams.State.RUNNING) {
            return new Verdict(false, "Kafka Streams is " + state + (state == KafkaStreams.State.REBALANCING
                    ? ": partitions are being assigned" : ""));
        }
        if (restores.restoring() > 0) {
            return new Verdict(false, "restoring " + restores.restoring() + " store partition(s) from their changelogs, "
                    + restores.remainingRecords() + " record(s) left");
        }
        Optional<String> registry = registryProblem();
        if (registry.isPresent()) {
            return new Verdict(false, "the schema registry does not answer: " + registry.get());
        }
        return new Verdict(true, "RUNNING, restored, schema registry answering");
    }

    private Optional<String> registryProblem() {
        synchronized (probeLock) {
            long now = nanos.getAsLong();
            if (probedAt == Long.MIN_VALUE || now - probedAt >= PROBE_EVERY.toNanos()) {
                registryProblem = registryProbe.get();
                probedAt = now;
            }
            return registryProblem;
        }
    }
}
