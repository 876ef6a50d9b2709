package io.ved.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

/**
 * Counters of one domain type's mailbox, tagged with the domain type, in Micrometer's global registry (add a
 * Prometheus, JMX or other registry to it to export them): {@code ved.messages.handled}, {@code .sent},
 * {@code .deferred}, {@code .quarantined}, {@code .dead.lettered}.
 */
final class DomainMeters {
    final Counter handled;
    final Counter sent;
    final Counter deferred;
    final Counter quarantined;
    final Counter deadLettered;

    DomainMeters(String domainType) {
        MeterRegistry registry = Metrics.globalRegistry;
        handled = counter(registry, "ved.messages.handled", domainType, "messages handled successfully");
        sent = counter(registry, "ved.messages.sent", domainType, "messages sent by handlers (including replies and timers)");
        deferred = counter(registry, "ved.messages.deferred", domainType, "messages queued behind a retry or throttled");
        quarantined = counter(registry, "ved.messages.quarantined", domainType, "messages stopped by storm protection");
        deadLettered = counter(registry, "ved.messages.dead.lettered", domainType, "messages sent to the dead-letter topic");
    }

    private static Counter counter(MeterRegistry registry, String name, String domainType, String description) {
        return Counter.builder(name).tag("domain", domainType).description(description).register(registry);
    }
}
