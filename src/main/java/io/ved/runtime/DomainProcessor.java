package io.ved.runtime;

import io.opentelemetry.api.trace.Span;
import io.ved.api.DomainDefinition;
import io.ved.api.Handler;
import io.ved.api.MessageId;
import io.ved.api.TimerId;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.RecordPosition;
import io.ved.internal.DeferredMessage;
import io.ved.internal.TraceOutcome;
import io.ved.runtime.handler.HandlerIsolation;
import io.ved.runtime.handler.HandlerRunner;
import io.ved.runtime.handler.HandlerRunner.HandlerTimeoutException;
import io.ved.runtime.deadletter.DeadLetterReason;
import io.ved.runtime.deadletter.DeadLetters;
import io.ved.runtime.mailbox.DeferredMessages;
import io.ved.runtime.mailbox.Mailboxes;
import io.ved.runtime.mailbox.RateBuckets;
import io.ved.runtime.mailbox.Timers;
import io.ved.runtime.storm.Quarantine;
import io.ved.runtime.storm.StormGuard;
import io.ved.runtime.storm.ThrottlePolicy;
import io.ved.runtime.storm.Trail;
import io.ved.runtime.telemetry.MessageSpans;
import io.ved.runtime.topology.DomainPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mailboxes of one domain type on one partition. Records arrive in offset order; each is decoded,
 * checked by storm protection, then handled at once or, when its instance is waiting (a message ahead of it
 * backs off before a retry, or the instance is over its rate), queued behind. Handling loads the state, runs
 * the handler, stores the new state, and forwards the buffered sends (or queues them in the sender's outbox
 * when it is over its send rate), schedules its timers, and writes a trace record; Kafka Streams commits all of
 * it, with the consumed offset, in one exactly-once transaction. A wall-clock punctuator retries, releases and
 * fires what fell due. A record that cannot be handled becomes a dead letter and the mailbox goes on.
 */
final class DomainProcessor<S extends SpecificRecord> implements Processor<byte[], byte[], byte[], byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(DomainProcessor.class);
    /** How often retries, throttled messages and timers are checked for what fell due. */
    static final Duration DUE_CHECK_INTERVAL = Duration.ofMillis(100);

    private final DomainDefinition<S> domain;
    private final DomainCatalog catalog;
    private final MessageCodec codec;
    private final InboxDecoder decoder;
    private final DomainPolicy policy;
    private final VedTopology.Routes routes;
    private final StormGuard stormGuard;
    private final DomainMeters meters;
    private final MessageSpans spans;
    private final HandlerIsolation isolation;
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<String, byte[]> states;
    private Mailboxes mailboxes;
    private Mailboxes outboxes;
    private Timers timers;
    private RateBuckets buckets;
    private Tracer tracer;
    private HandlerRunner runner;

    DomainProcessor(DomainDefinition<S> domain, DomainCatalog catalog, MessageCodec codec, VedTopology.Routes routes,
                    MessageSpans spans, HandlerIsolation isolation) {
        this.spans = spans;
        this.isolation = isolation;
        this.domain = domain;
        this.catalog = catalog;
        this.codec = codec;
        this.decoder = new InboxDecoder(domain, codec);
        this.policy = catalog.topicOf(domain.type()).policy();
        this.routes = routes;
        this.stormGuard = new StormGuard(policy.storm());
        this.meters = new DomainMeters(domain.type().name());
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.states = context.getStateStore(routes.stateStore());
        KeyValueStore<String, byte[]> runtime = context.getStateStore(routes.runtimeStore());
        this.mailboxes = new Mailboxes(runtime, "m");
        this.outboxes = new Mailboxes(runtime, "o");
        this.timers = new Timers(runtime);
        this.buckets = new RateBuckets(runtime);
        this.tracer = new Tracer(policy.trace(), codec, r -> context.forward(r, routes.traceSink()));
        this.runner = HandlerRunner.of(policy.handlerTimeout(), policy.handlerThread(), domain.type().name(), isolation,
                domain.type() + "-handler-" + context.taskId());
        context.schedule(DUE_CHECK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::runDue);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordPosition position = positionOf(record);
        Inbound inbound;
        try {
            inbound = decoder.decode(record.key(), record.value(), record.headers(), position);
        } catch (RejectedMessageException e) {
            deadLetter(record, position, e.reason(), e, 0);
            tracer.rejected(record.headers(), position, domain.type().ref(keyText(record)), now(), e.reason() + ": " + e.getMessage());
            return;
        }
        Trail trail = trailOf(record, inbound);
        Optional<StormGuard.Verdict> storm = stormGuard.check(inbound.envelope(), trail);
        if (storm.isPresent()) {
            quarantine(record, position, inbound, storm.get());
            return;
        }
        String id = inbound.target().id();
        if (mailboxes.isWaiting(id)) {
            defer(id, record, position, inbound, "waiting behind " + mailboxes.depth(id) + " earlier message(s) of " + inbound.target());
            return;
        }
        long wait = handlingWait(id, inbound.envelope().time().toEpochMilli());
        if (wait > 0) {
            defer(id, record, position, inbound, "throttled: " + inbound.target() + " is over its rate; released in " + wait + " ms");
            mailboxes.scheduleAt(id, now() + wait);
            return;
        }
        if (attempt(inbound, trail, record, position, 0) instanceof Attempt.Failed failed) {
            mailboxes.append(id, DeferredMessages.of(record, position, failed.attempts(), failed.error()));
            scheduleRetry(inbound, position, failed);
        }
    }

    private void defer(String id, Record<byte[], byte[]> record, RecordPosition position, Inbound inbound, String why) {
        mailboxes.append(id, DeferredMessages.of(record, position, 0, null));
        meters.deferred.increment();
        tracer.outcome(inbound.envelope(), position, now(), TraceOutcome.DEFERRED, why);
    }

    /** Retries and releases queued messages, releases held sends, and fires timers, for what fell due. */
    private void runDue(long wallClockMillis) {
        for (String id : mailboxes.takeDue(wallClockMillis)) {
            drain(id, wallClockMillis);
        }
        for (String id : outboxes.takeDue(wallClockMillis)) {
            releaseSends(id, wallClockMillis);
        }
        for (DeferredMessage timer : timers.takeDue(wallClockMillis)) {
            Record<byte[], byte[]> record = DeferredMessages.record(timer);
            context.forward(record, routes.sinkFor(timer.getTopic()));
            meters.sent.increment();
        }
    }

    private void drain(String id, long now) {
        while (mailboxes.isWaiting(id)) {
            long wait = handlingWait(id, now);
            if (wait > 0) {
                mailboxes.scheduleAt(id, now + wait);
                return;
            }
            DeferredMessage waiting = mailboxes.head(id).orElseThrow();
            Record<byte[], byte[]> record = DeferredMessages.record(waiting);
            RecordPosition position = DeferredMessages.position(waiting);
            Inbound inbound = decoder.decode(record.key(), record.value(), record.headers(), position);
            if (attempt(inbound, trailOf(record, inbound), record, position, waiting.getAttempts()) instanceof Attempt.Failed failed) {
                waiting.setAttempts(failed.attempts());
                waiting.setLastError(failed.error());
                mailboxes.replaceHead(id, waiting);
                scheduleRetry(inbound, position, failed);
                return;
            }
            mailboxes.removeHead(id);
        }
    }

    /** The result of running the handler once: done (handled or dead-lettered) or failed with tries left. */
    private sealed interface Attempt {
        record Done() implements Attempt {
        }

        record Failed(int attempts, String error) implements Attempt {
        }
    }

    private Attempt attempt(Inbound inbound, Trail trail, Record<byte[], byte[]> record, RecordPosition position,
                            int earlierAttempts) {
        long started = System.nanoTime();
        Span span = spans.start(inbound.envelope(), record.headers(), domain.type().name());
        Handled handled;
        try {
            handled = runner.run(inbound.envelope(), () -> handle(inbound, trail, span));
        } catch (HandlerTimeoutException e) {
            deadLetter(record, position, DeadLetterReason.HANDLER_TIMEOUT, e, earlierAttempts + 1);
            tracer.outcome(inbound.envelope(), position, now(), TraceOutcome.DEAD_LETTERED, e.getMessage());
            MessageSpans.end(span, TraceOutcome.DEAD_LETTERED.name(), e);
            return new Attempt.Done();
        } catch (RuntimeException e) {
            int attempts = earlierAttempts + 1;
            if (attempts < policy.retry().maxAttempts()) {
                MessageSpans.end(span, TraceOutcome.RETRY_SCHEDULED.name(), e);
                return new Attempt.Failed(attempts, e.getClass().getName() + ": " + e.getMessage());
            }
            deadLetter(record, position, DeadLetterReason.HANDLER_FAILED, e, attempts);
            tracer.outcome(inbound.envelope(), position, now(), TraceOutcome.DEAD_LETTERED,
                    "failed " + attempts + " time(s): " + e.getMessage());
            MessageSpans.end(span, TraceOutcome.DEAD_LETTERED.name(), e);
            return new Attempt.Done();
        }
        apply(inbound, handled);
        meters.handled.increment();
        tracer.handled(inbound.envelope(), position, now(), (System.nanoTime() - started) / 1000, handled.sentIds());
        MessageSpans.end(span, TraceOutcome.HANDLED.name(), null);
        return new Attempt.Done();
    }

    /** Stores the state, and sends, schedules and cancels what the handler asked for. */
    private void apply(Inbound inbound, Handled handled) {
        String id = inbound.target().id();
        states.put(id, handled.encodedState());
        long at = inbound.envelope().time().toEpochMilli();
        for (RoutedSend send : handled.sends()) {
            sendOrHold(id, send, at);
        }
        handled.cancelled().forEach(timer -> timers.cancel(timer.value()));
        handled.timed().forEach(timer -> timers.schedule(timer.envelopeId(), timer.stored()));
    }

    /** Forwards a send at once, or holds it in the sender's outbox, in order, while the sender is over its send rate. */
    private void sendOrHold(String senderId, RoutedSend send, long at) {
        ThrottlePolicy throttle = policy.throttle();
        if (throttle.limitsSending() && (outboxes.isWaiting(senderId) || sendWait(senderId, at) > 0)) {
            boolean wasWaiting = outboxes.isWaiting(senderId);
            outboxes.append(senderId, DeferredMessages.of(send.record(), send.target(), 0, null));
            if (!wasWaiting) {
                outboxes.scheduleAt(senderId, now() + sendWait(senderId, at));
            }
            return;
        }
        context.forward(send.record(), send.sink());
        meters.sent.increment();
    }

    private void releaseSends(String id, long now) {
        while (outboxes.isWaiting(id)) {
            long wait = buckets.tryTake(List.of(sendLimit(id)), now);
            if (wait > 0) {
                outboxes.scheduleAt(id, now + wait);
                return;
            }
            DeferredMessage held = outboxes.head(id).orElseThrow();
            context.forward(DeferredMessages.record(held), routes.sinkFor(held.getTopic()));
            meters.sent.increment();
            outboxes.removeHead(id);
        }
    }

    /** 0 when the instance may handle a message now (the tokens are taken), else milliseconds to wait. */
    private long handlingWait(String id, long at) {
        ThrottlePolicy throttle = policy.throttle();
        if (!throttle.limitsHandling()) {
            return 0;
        }
        List<RateBuckets.Limit> limits = new ArrayList<>(2);
        if (throttle.handledPerInstance() > 0) {
            limits.add(new RateBuckets.Limit("h|" + id, throttle.handledPerInstance(), throttle.burst()));
        }
        if (throttle.handledPerType() > 0) {
            limits.add(new RateBuckets.Limit("h*", throttle.handledPerType(), throttle.burst()));
        }
        return buckets.tryTake(limits, at);
    }

    private long sendWait(String id, long at) {
        return buckets.tryTake(List.of(sendLimit(id)), at);
    }

    private RateBuckets.Limit sendLimit(String id) {
        return new RateBuckets.Limit("s|" + id, policy.throttle().sentPerInstance(), policy.throttle().burst());
    }

    private void scheduleRetry(Inbound inbound, RecordPosition position, Attempt.Failed failed) {
        Duration delay = policy.retry().delayAfter(failed.attempts());
        mailboxes.scheduleAt(inbound.target().id(), now() + delay.toMillis());
        meters.deferred.increment();
        tracer.outcome(inbound.envelope(), position, now(), TraceOutcome.RETRY_SCHEDULED,
                "attempt " + failed.attempts() + " of " + policy.retry().maxAttempts() + " failed (" + failed.error()
                        + "); next try in " + delay.toMillis() + " ms");
    }

    /** The handler's outcome, already encoded, so nothing can fail between storing the state and forwarding. */
    private record Handled(byte[] encodedState, List<RoutedSend> sends, List<TimedSend> timed, List<TimerId> cancelled,
                           List<MessageId> sentIds) {
    }

    private record RoutedSend(String sink, Record<byte[], byte[]> record, RecordPosition target) {
    }

    private record TimedSend(String envelopeId, DeferredMessage stored) {
    }

    private Handled handle(Inbound inbound, Trail trail, Span span) {
        S state = loadState(inbound.target().id());
        HandlingContext ctx = new HandlingContext(domain, catalog, inbound.envelope(), inbound.target());
        S next = invoke(state, inbound.message(), ctx);
        if (next == null) {
            throw new IllegalStateException(domain.type() + "'s handler of " + inbound.message().getClass().getSimpleName()
                    + " returned no state: return the state unchanged when nothing changes");
        }
        List<Outgoing> outgoing = ctx.outgoing();
        List<TimedSend> timed = ctx.timed().stream().map(out -> {
            RoutedSend routed = route(out, trail, span);
            return new TimedSend(out.envelope().id().value(), DeferredMessages.of(routed.record(), routed.target(), 0, null));
        }).toList();
        List<MessageId> sentIds = new ArrayList<>(outgoing.stream().map(o -> o.envelope().id()).toList());
        ctx.timed().forEach(o -> sentIds.add(o.envelope().id()));
        return new Handled(codec.encode(next), outgoing.stream().map(out -> route(out, trail, span)).toList(), timed,
                ctx.cancelledTimers(), sentIds);
    }

    @SuppressWarnings("unchecked")
    private S invoke(S state, SpecificRecord message, HandlingContext ctx) {
        Handler<S, SpecificRecord> handler = (Handler<S, SpecificRecord>) domain.handlerFor(message.getClass());
        return handler.handle(state, message, ctx);
    }

    private S loadState(String id) {
        byte[] stored = states.get(id);
        return stored == null ? domain.initialState(id) : codec.decode(stored, domain.stateClass());
    }

    private RoutedSend route(Outgoing out, Trail trail, Span span) {
        String sink = routes.sinkFor(out.topic());
        RecordHeaders headers = new RecordHeaders();
        EnvelopeHeaders.write(out.envelope(), headers);
        trail.write(headers);
        MessageSpans.inject(span, headers);
        long time = out.envelope().time().toEpochMilli();
        return new RoutedSend(sink, new Record<>(out.key().getBytes(StandardCharsets.UTF_8), codec.encode(out.message()),
                time, headers), new RecordPosition(out.topic(), -1, -1L, time));
    }

    /** The path of the chain so far, with this message's arrival as the last step: what loop detection looks at. */
    private static Trail trailOf(Record<byte[], byte[]> record, Inbound inbound) {
        String type = inbound.envelope().type();
        return Trail.read(record.headers()).extend(inbound.target().toString(), type.substring(type.lastIndexOf('.') + 1));
    }

    private void quarantine(Record<byte[], byte[]> record, RecordPosition position, Inbound inbound, StormGuard.Verdict verdict) {
        context.forward(Quarantine.record(record, position, domain.type(), verdict.reason(), verdict.detail(), verdict.cycle()),
                routes.stormSink());
        meters.quarantined.increment();
        tracer.outcome(inbound.envelope(), position, now(), TraceOutcome.QUARANTINED, verdict.detail());
        LOG.warn("Storm protection quarantined {} to {} (correlation {}): {}", inbound.envelope().type(), inbound.target(),
                inbound.envelope().correlation(), verdict.detail());
    }

    private void deadLetter(Record<byte[], byte[]> record, RecordPosition position, DeadLetterReason reason, Throwable error,
                            int attempts) {
        context.forward(DeadLetters.of(record, position, domain.type(), reason, error, attempts), routes.deadLetterSink());
        meters.deadLettered.increment();
    }

    private long now() {
        return context.currentSystemTimeMs();
    }

    private static String keyText(Record<byte[], byte[]> record) {
        return record.key() == null || record.key().length == 0 ? "?" : new String(record.key(), StandardCharsets.UTF_8)
                .replace('[', '(').replace(']', ')');
    }

    private RecordPosition positionOf(Record<byte[], byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        return new RecordPosition(meta.topic(), meta.partition(), meta.offset(), record.timestamp());
    }

    @Override
    public void close() {
        if (runner != null) {
            runner.close();
        }
    }
}
