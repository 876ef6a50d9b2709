package io.ved.runtime.topology;

import io.ved.runtime.storm.StormPolicy;
import io.ved.runtime.storm.ThrottlePolicy;
import java.time.Duration;
import java.util.Optional;

/**
 * How the runtime treats one domain type's messages: retries, how long a handler may run (a longer one would
 * hold the transaction open until the broker fences the instance out of its group), whether each outcome is
 * written to the trace topic, the storm protection limits (hops, loops, rates), the deferred-queue bounds, and the
 * compatibility level of its schema subjects (empty: the registry's default), and whether the inbox's writers are
 * trusted to name their sender truthfully ({@code writers: ved}, see {@link #trustsSenders()}).
 *
 * @param trustsSenders true when only Ved applications can write the inbox (the topology file's {@code writers: ved},
 *     which the operator makes true with Kafka ACLs): a {@code ce_source} naming a domain is then believed, so
 *     {@code Context.sender()} names it and a reply goes to its inbox. False by default ({@code writers: any}): any
 *     producer could claim to be a domain, so such a message is treated as one from outside (no sender; a reply goes
 *     to the reply topic, never into another domain's inbox)
 */
public record DomainPolicy(RetryPolicy retry, Duration handlerTimeout, HandlerThread handlerThread, boolean trace,
                           StormPolicy storm, ThrottlePolicy throttle, DeferredLimits deferred,
                           Optional<SchemaCompatibility> compatibility, boolean trustsSenders) {
    /** Kafka Streams' exactly-once transactions time out after 10 s by default; a handler must end well before. */
    public static final Duration DEFAULT_HANDLER_TIMEOUT = Duration.ofSeconds(5);
    public static final DomainPolicy DEFAULT = new DomainPolicy(RetryPolicy.DEFAULT, DEFAULT_HANDLER_TIMEOUT, HandlerThread.STREAM, true,
            StormPolicy.DEFAULT, ThrottlePolicy.NONE, DeferredLimits.DEFAULT, Optional.empty(), false);

    /** A policy whose inbox's writers are not trusted to name their sender ({@code writers: any}). */
    public DomainPolicy(RetryPolicy retry, Duration handlerTimeout, HandlerThread handlerThread, boolean trace,
                        StormPolicy storm, ThrottlePolicy throttle, DeferredLimits deferred,
                        Optional<SchemaCompatibility> compatibility) {
        this(retry, handlerTimeout, handlerThread, trace, storm, throttle, deferred, compatibility, false);
    }

    /** The same policy, trusting (or not) the inbox's writers to name their sender. */
    public DomainPolicy withTrustedSenders(boolean trusted) {
        return new DomainPolicy(retry, handlerTimeout, handlerThread, trace, storm, throttle, deferred, compatibility, trusted);
    }

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
