package io.ved.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

/**
 * Counters of one domain type's mailbox, tagged with the domain type, in Micrometer's global registry (add a
 * Prometheus, JMX or other registry to it to export them): {@code ved.messages.handled}, {@code .sent},
 * {@code .deferred}, {@code .quarantined}, {@code .dead.lettered}, {@code .rerouted}, {@code .retried}, the timer
 * {@code ved.handler.time} (a histogram), and the gauge
 * {@code ved.deferred.depth} (tags {@code domain}, {@code queue=mailbox|outbox}).
 */
final class DomainMeters {
    final Counter handled;
    final Counter sent;
    final Counter deferred;
    final Counter quarantined;
    final Counter deadLettered;
    final Counter rerouted;
    final Counter retried;
    /** How long the handler ran per message, successful or not (a Prometheus histogram). */
    final Timer handlerTime;
    private final String domainType;

    DomainMeters(String domainType) {
        MeterRegistry registry = Metrics.globalRegistry;
        handled = counter(registry, "ved.messages.handled", domainType, "messages handled successfully");
        sent = counter(registry, "ved.messages.sent", domainType, "messages sent by handlers (including replies and timers)");
        deferred = counter(registry, "ved.messages.deferred", domainType, "messages queued behind a retry or throttled");
        quarantined = counter(registry, "ved.messages.quarantined", domainType, "messages stopped by storm protection");
        deadLettered = counter(registry, "ved.messages.dead.lettered", domainType, "messages sent to the dead-letter topic");
        rerouted = counter(registry, "ved.messages.rerouted", domainType,
                "records that arrived on a partition their key does not hash to, forwarded to the right one");
        retried = counter(registry, "ved.messages.retried", domainType, "handler failures that scheduled another attempt");
        handlerTime = Timer.builder("ved.handler.time").tag("domain", domainType)
                .description("time a handler ran on one message, successful or not").publishPercentileHistogram()
                .minimumExpectedValue(java.time.Duration.ofNanos(100_000)).maximumExpectedValue(java.time.Duration.ofSeconds(60))
                .register(registry);
        this.domainType = domainType;
        DEPTHS.computeIfAbsent(domainType, type -> {
            Map<String, LongSupplier[]> tasks = new ConcurrentHashMap<>();
            Gauge.builder("ved.deferred.depth", tasks, t -> sum(t, 0)).tag("domain", type).tag("queue", "mailbox")
                    .description("messages waiting behind a retry or a rate limit, over this process's tasks").register(registry);
            Gauge.builder("ved.deferred.depth", tasks, t -> sum(t, 1)).tag("domain", type).tag("queue", "outbox")
                    .description("sends held in outboxes by a send rate limit, over this process's tasks").register(registry);
            return tasks;
        });
    }

    /** Per domain type, the depth readers of each task's mailboxes and outboxes in this process. */
    private static final Map<String, Map<String, LongSupplier[]>> DEPTHS = new ConcurrentHashMap<>();

    void trackDepth(String task, LongSupplier mailboxDepth, LongSupplier outboxDepth) {
        DEPTHS.get(domainType).put(task, new LongSupplier[] {mailboxDepth, outboxDepth});
    }

    void untrackDepth(String task) {
        DEPTHS.get(domainType).remove(task);
    }

    private static double sum(Map<String, LongSupplier[]> tasks, int which) {
        long total = 0;
        for (LongSupplier[] depth : tasks.values()) {
            total += depth[which].getAsLong();
        }
        return total;
    }

    private static Counter counter(MeterRegistry registry, String name, String domainType, String description) {
        return Counter.builder(name).tag("domain", domainType).description(description).register(registry);
    }
}
