package io.ved.runtime;

import io.ved.api.DomainDefinition;
import io.ved.api.Handler;
import io.ved.api.MessageId;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.RecordPosition;
import io.ved.internal.DeferredMessage;
import io.ved.internal.TraceOutcome;
import io.ved.runtime.HandlerRunner.HandlerTimeoutException;
import io.ved.runtime.deadletter.DeadLetterReason;
import io.ved.runtime.deadletter.DeadLetters;
import io.ved.runtime.mailbox.DeferredMessages;
import io.ved.runtime.mailbox.Mailboxes;
import io.ved.runtime.topology.DomainPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import io.ved.runtime.storm.Quarantine;
import io.ved.runtime.storm.StormGuard;
import io.ved.runtime.storm.Trail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The mailboxes of one domain type on one partition. Records arrive in offset order; each is decoded, then
 * either handled at once or, when its instance is waiting (a message ahead of it is backing off before a
 * retry), queued behind. Handling loads the state, runs the handler, stores the new state and forwards the
 * buffered sends and a trace record; Kafka Streams commits all of it, with the consumed offset, in one
 * exactly-once transaction. A record that cannot be handled becomes a dead letter and the mailbox goes on.
 */
final class DomainProcessor<S extends SpecificRecord> implements Processor<byte[], byte[], byte[], byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(DomainProcessor.class);
    /** How often waiting instances are checked for a retry that fell due. */
    static final Duration RETRY_CHECK_INTERVAL = Duration.ofMillis(100);

    private final DomainDefinition<S> domain;
    private final DomainCatalog catalog;
    private final MessageCodec codec;
    private final InboxDecoder decoder;
    private final DomainPolicy policy;
    private final VedTopology.Routes routes;
    private final StormGuard stormGuard;
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<String, byte[]> states;
    private Mailboxes mailboxes;
    private Tracer tracer;
    private HandlerRunner runner;

    DomainProcessor(DomainDefinition<S> domain, DomainCatalog catalog, MessageCodec codec, VedTopology.Routes routes) {
        this.domain = domain;
        this.catalog = catalog;
        this.codec = codec;
        this.decoder = new InboxDecoder(domain, codec);
        this.policy = catalog.topicOf(domain.type()).policy();
        this.routes = routes;
        this.stormGuard = new StormGuard(policy.storm());
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.states = context.getStateStore(routes.stateStore());
        this.mailboxes = new Mailboxes(context.getStateStore(routes.statusStore()), context.getStateStore(routes.queueStore()),
                context.getStateStore(routes.dueStore()));
        this.tracer = new Tracer(policy.trace(), codec, r -> context.forward(r, routes.traceSink()));
        this.runner = new HandlerRunner(policy.handlerTimeout(), domain.type() + "-handler-" + context.taskId());
        context.schedule(RETRY_CHECK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::retryDue);
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
            mailboxes.append(id, DeferredMessages.of(record, position, 0, null));
            tracer.outcome(inbound.envelope(), position, now(), TraceOutcome.DEFERRED,
                    "waiting behind " + (mailboxes.depth(id) - 1) + " earlier message(s) of " + inbound.target());
            return;
        }
        Attempt attempt = attempt(inbound, trail, record, position, 0);
        if (attempt instanceof Attempt.Failed failed) {
            mailboxes.append(id, DeferredMessages.of(record, position, failed.attempts(), failed.error()));
            scheduleRetry(inbound, position, failed);
        }
    }

    /** Tries again every waiting instance whose retry fell due, then lets its queued messages through. */
    private void retryDue(long wallClockMillis) {
        for (String id : mailboxes.takeDue(wallClockMillis)) {
            drain(id);
        }
    }

    private void drain(String id) {
        while (mailboxes.isWaiting(id)) {
            DeferredMessage waiting = mailboxes.head(id).orElseThrow();
            Record<byte[], byte[]> record = DeferredMessages.record(waiting);
            RecordPosition position = DeferredMessages.position(waiting);
            Inbound inbound = decoder.decode(record.key(), record.value(), record.headers(), position);
            Attempt attempt = attempt(inbound, trailOf(record, inbound), record, position, waiting.getAttempts());
            if (attempt instanceof Attempt.Failed failed) {
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
        Handled handled;
        try {
            handled = runner.run(() -> handle(inbound, trail));
        } catch (HandlerTimeoutException e) {
            deadLetter(record, position, DeadLetterReason.HANDLER_TIMEOUT, e, earlierAttempts + 1);
            tracer.outcome(inbound.envelope(), position, now(), TraceOutcome.DEAD_LETTERED, e.getMessage());
            return new Attempt.Done();
        } catch (RuntimeException e) {
            int attempts = earlierAttempts + 1;
            if (attempts < policy.retry().maxAttempts()) {
                return new Attempt.Failed(attempts, e.getClass().getName() + ": " + e.getMessage());
            }
            deadLetter(record, position, DeadLetterReason.HANDLER_FAILED, e, attempts);
            tracer.outcome(inbound.envelope(), position, now(), TraceOutcome.DEAD_LETTERED,
                    "failed " + attempts + " time(s): " + e.getMessage());
            return new Attempt.Done();
        }
        states.put(inbound.target().id(), handled.encodedState());
        handled.sends().forEach(send -> context.forward(send.record(), send.sink()));
        tracer.handled(inbound.envelope(), position, now(), (System.nanoTime() - started) / 1000, handled.sentIds());
        return new Attempt.Done();
    }

    private void scheduleRetry(Inbound inbound, RecordPosition position, Attempt.Failed failed) {
        Duration delay = policy.retry().delayAfter(failed.attempts());
        mailboxes.scheduleAt(inbound.target().id(), now() + delay.toMillis());
        tracer.outcome(inbound.envelope(), position, now(), TraceOutcome.RETRY_SCHEDULED,
                "attempt " + failed.attempts() + " of " + policy.retry().maxAttempts() + " failed (" + failed.error()
                        + "); next try in " + delay.toMillis() + " ms");
    }

    /** The handler's outcome, already encoded, so nothing can fail between storing the state and forwarding. */
    private record Handled(byte[] encodedState, List<RoutedSend> sends, List<MessageId> sentIds) {
    }

    private record RoutedSend(String sink, Record<byte[], byte[]> record) {
    }

    private Handled handle(Inbound inbound, Trail trail) {
        S state = loadState(inbound.target().id());
        HandlingContext ctx = new HandlingContext(domain, catalog, inbound.envelope(), inbound.target());
        S next = invoke(state, inbound.message(), ctx);
        if (next == null) {
            throw new IllegalStateException(domain.type() + "'s handler of " + inbound.message().getClass().getSimpleName()
                    + " returned no state: return the state unchanged when nothing changes");
        }
        List<Outgoing> outgoing = ctx.outgoing();
        return new Handled(codec.encode(next), outgoing.stream().map(out -> route(out, trail)).toList(),
                outgoing.stream().map(o -> o.envelope().id()).toList());
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

    private RoutedSend route(Outgoing out, Trail trail) {
        String sink = routes.sinkFor(out.topic());
        RecordHeaders headers = new RecordHeaders();
        EnvelopeHeaders.write(out.envelope(), headers);
        trail.write(headers);
        return new RoutedSend(sink, new Record<>(out.key().getBytes(StandardCharsets.UTF_8), codec.encode(out.message()),
                out.envelope().time().toEpochMilli(), headers));
    }

    /** The path of the chain so far, with this message's arrival as the last step: what loop detection looks at. */
    private static Trail trailOf(Record<byte[], byte[]> record, Inbound inbound) {
        String type = inbound.envelope().type();
        return Trail.read(record.headers()).extend(inbound.target().toString(), type.substring(type.lastIndexOf('.') + 1));
    }

    private void quarantine(Record<byte[], byte[]> record, RecordPosition position, Inbound inbound, StormGuard.Verdict verdict) {
        context.forward(Quarantine.record(record, position, domain.type(), verdict.reason(), verdict.detail(), verdict.cycle()),
                routes.stormSink());
        tracer.outcome(inbound.envelope(), position, now(), TraceOutcome.QUARANTINED, verdict.detail());
        LOG.warn("Storm protection quarantined {} to {} (correlation {}): {}", inbound.envelope().type(), inbound.target(),
                inbound.envelope().correlation(), verdict.detail());
    }

    private void deadLetter(Record<byte[], byte[]> record, RecordPosition position, DeadLetterReason reason, Throwable error,
                            int attempts) {
        context.forward(DeadLetters.of(record, position, domain.type(), reason, error, attempts), routes.deadLetterSink());
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
