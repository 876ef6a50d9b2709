package io.ved.runtime.topology;

import io.ved.runtime.storm.StormPolicy;
import io.ved.runtime.storm.ThrottlePolicy;
import java.time.Duration;
import java.util.Optional;

/**
 * How the runtime treats one domain type's messages: retries, how long a handler may run (a longer one would
 * hold the transaction open until the broker fences the instance out of its group), whether each outcome is
 * written to the trace topic, the storm protection limits (hops, loops, rates), the deferred-queue bounds, and the
 * compatibility level of its schema subjects (empty: the registry's default).
 */
public record DomainPolicy(RetryPolicy retry, Duration handlerTimeout, HandlerThread handlerThread, boolean trace,
                           StormPolicy storm, ThrottlePolicy throttle, DeferredLimits deferred,
                           Optional<SchemaCompatibility> compatibility) {
    /** Kafka Streams' exactly-once transactions time out after 10 s by default; a handler must end well before. */
    public static final Duration DEFAULT_HANDLER_TIMEOUT = Duration.ofSeconds(5);
    public static final DomainPolicy DEFAULT = new DomainPolicy(RetryPolicy.DEFAULT, DEFAULT_HANDLER_TIMEOUT, HandlerThread.STREAM, true,
            StormPolicy.DEFAULT, ThrottlePolicy.NONE, DeferredLimits.DEFAULT, Optional.empty());

    /** A policy that leaves the schema subjects' compatibility to the registry's own default. */
    public DomainPolicy(RetryPolicy retry, Duration handlerTimeout, HandlerThread handlerThread, boolean trace,
                        StormPolicy storm, ThrottlePolicy throttle, DeferredLimits deferred) {
        this(retry, handlerTimeout, handlerThread, trace, storm, throttle, deferred, Optional.empty());
    }

    /** A policy with the default deferred-queue bounds. */
    public DomainPolicy(RetryPolicy retry, Duration handlerTimeout, HandlerThread handlerThread, boolean trace,
                        StormPolicy storm, ThrottlePolicy throttle) {
        this(retry, handlerTimeout, handlerThread, trace, storm, throttle, DeferredLimits.DEFAULT, Optional.empty());
    }

    public DomainPolicy {
        java.util.Objects.requireNonNull(compatibility, "compatibility (Optional.empty() for the registry's default)");
        if (handlerTimeout.isNegative()) {
            throw new IllegalArgumentException("handlerTimeoutMs must not be negative (0 = no limit)");
        }
    }
}
