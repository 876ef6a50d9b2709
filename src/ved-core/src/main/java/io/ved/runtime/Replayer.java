package io.ved.runtime;

import io.ved.api.DomainDefinition;
import io.ved.api.Handler;
import io.ved.envelope.Envelope;
import io.ved.envelope.RecordPosition;
import io.ved.envelope.MessageCodec;
import io.ved.runtime.handler.HandlerIsolation;
import io.ved.runtime.handler.HandlerRunner;
import io.ved.runtime.handler.HandlerRunner.HandlerTimeoutException;
import io.ved.runtime.deadletter.DeadLetterReason;
import io.ved.runtime.storm.StormGuard;
import io.ved.runtime.storm.Trail;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Re-runs one domain type's current handler code on raw inbox records, outside Kafka Streams, exactly as the
 * mailbox processor would: the record is decoded by the same decoder (ids derived from the record's position
 * when its headers carry none, so sent messages get the same ids as live), storm protection stops the same
 * messages, the handler gets the same kind of context and the same time limit, and the new state and the sends
 * must encode. Nothing is written anywhere: each call returns the new state, the sends and timers and, if the
 * record could not be handled, why.
 *
 * <p>This is the engine of {@code ved replay}. It applies records in the order given and keeps none of the live
 * runtime's timing: retries (a handler that fails here would have been retried live and, failing every time,
 * dead-lettered), throttling and mailbox queues only delay messages live, never reorder one instance's.
 */
public final class Replayer<S extends SpecificRecord> implements AutoCloseable {
    private final DomainDefinition<S> domain;
    private final DomainCatalog catalog;
    private final InboxDecoder decoder;
    private final StormGuard stormGuard;
    private final HandlerRunner runner;

    private Replayer(DomainDefinition<S> domain, DomainCatalog catalog, MessageCodec codec) {
        this.domain = domain;
        this.catalog = catalog;
        this.decoder = new InboxDecoder(domain, codec);
        this.stormGuard = new StormGuard(catalog.topicOf(domain.type()).policy().storm());
        var policy = catalog.topicOf(domain.type()).policy();
        this.runner = HandlerRunner.of(policy.handlerTimeout(), policy.handlerThread(), domain.type().name(),
                new HandlerIsolation(), domain.type() + "-replay-handler");
    }

    /** A replayer of one of the catalog's local domain types. */
    public static <S extends SpecificRecord> Replayer<S> of(DomainDefinition<S> domain, DomainCatalog catalog, MessageCodec codec) {
        Objects.requireNonNull(domain, "domain");
        if (catalog.local(domain.type()).isEmpty()) {
            throw new IllegalArgumentException(domain.type() + " is not a domain type of this application");
        }
        return new Replayer<>(domain, catalog, codec);
    }

    public DomainDefinition<S> domain() {
        return domain;
    }

    /** The state of an instance that has handled nothing. */
    public S initialState(String id) {
        return domain.initialState(id);
    }

    /**
     * Why a record would not be handled: whether live dead-letters or quarantines it, the reason it gives (a
     * dead-letter reason such as {@code HANDLER_FAILED}, or a storm reason such as {@code OSCILLATION}), and the error.
     */
    public record Failure(Outcome outcome, String reason, String error) {
        public enum Outcome { DEAD_LETTERED, QUARANTINED }

        /** Whether the live runtime would have retried it first (only handler failures are retried). */
        public boolean retriedLive() {
            return outcome == Outcome.DEAD_LETTERED && reason.equals(DeadLetterReason.HANDLER_FAILED.name());
        }
    }

    /**
     * What one record did.
     *
     * @param envelope empty when the record was rejected before its envelope was read
     * @param message  the decoded message; empty when rejected
     * @param after    the new state; the state before when the record failed
     * @param sends    what the handler sent (empty when it failed: a failed handler sends nothing)
     * @param timed    what it scheduled with {@code sendAfter}/{@code sendAt}, each with its due time as envelope time
     */
    public record Step<S extends SpecificRecord>(RecordPosition position, Optional<Envelope> envelope,
                                                 Optional<SpecificRecord> message, S before, S after,
                                                 List<Outgoing> sends, List<Outgoing> timed, Optional<Failure> failure) {
        public boolean failed() {
            return failure.isPresent();
        }
    }

    /** Applies one raw inbox record to a state: the record's key, value and headers as they are in the topic. */
    public Step<S> apply(S state, byte[] key, byte[] value, Headers headers, RecordPosition position) {
        Inbound inbound;
        try {
            inbound = decoder.decode(key, value, headers, position);
        } catch (RejectedMessageException e) {
            return new Step<>(position, Optional.empty(), Optional.empty(), state, state, List.of(), List.of(),
                    Optional.of(new Failure(Failure.Outcome.DEAD_LETTERED, e.reason().name(), e.getMessage())));
        }
        String type = inbound.envelope().type();
        Trail trail = Trail.read(headers).extend(inbound.target().toString(), type.substring(type.lastIndexOf('.') + 1));
        Optional<StormGuard.Verdict> storm = stormGuard.check(inbound.envelope(), trail);
        if (storm.isPresent()) {
            return failed(state, inbound, position, Failure.Outcome.QUARANTINED, storm.get().reason().name(), storm.get().detail());
        }
        try {
            Result<S> result = runner.run(inbound.envelope(), () -> handle(state, inbound));
            return new Step<>(position, Optional.of(inbound.envelope()), Optional.of(inbound.message()), state,
                    result.state(), result.sends(), result.timed(), Optional.empty());
        } catch (HandlerTimeoutException e) {
            return failed(state, inbound, position, Failure.Outcome.DEAD_LETTERED, DeadLetterReason.HANDLER_TIMEOUT.name(), e.getMessage());
        } catch (RuntimeException e) {
            return failed(state, inbound, position, Failure.Outcome.DEAD_LETTERED, DeadLetterReason.HANDLER_FAILED.name(),
                    e.getClass().getName() + ": " + e.getMessage());
        }
    }

    private Step<S> failed(S state, Inbound inbound, RecordPosition position, Failure.Outcome outcome, String reason, String error) {
        return new Step<>(position, Optional.of(inbound.envelope()), Optional.of(inbound.message()), state, state, List.of(),
                List.of(), Optional.of(new Failure(outcome, reason, error)));
    }

    private record Result<S>(S state, List<Outgoing> sends, List<Outgoing> timed) {
    }

    private Result<S> handle(S state, Inbound inbound) {
        HandlingContext ctx = new HandlingContext(domain, catalog, inbound.envelope(), inbound.target());
        @SuppressWarnings("unchecked")
        Handler<S, SpecificRecord> handler = (Handler<S, SpecificRecord>) domain.handlerFor(inbound.message().getClass());
        S next = handler.handle(state, inbound.message(), ctx);
        if (next == null) {
            throw new IllegalStateException(domain.type() + "'s handler of " + inbound.message().getClass().getSimpleName()
                    + " returned no state: return the state unchanged when nothing changes");
        }
        // Live, the new state and every send are encoded inside the handler's attempt: a value that does not
        // encode fails the attempt there, so it must here too.
        encodable(next);
        List<Outgoing> sends = ctx.outgoing();
        List<Outgoing> timed = ctx.timed();
        sends.forEach(out -> encodable(out.message()));
        timed.forEach(out -> encodable(out.message()));
        return new Result<>(next, sends, timed);
    }

    private static void encodable(SpecificRecord record) {
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(OutputStream.nullOutputStream(), null);
        try {
            new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot encode " + record.getSchema().getName() + ": " + e.getMessage(), e);
        }
    }

    /** The topology this replayer routes sends with. */
    public DomainCatalog catalog() {
        return catalog;
    }

    @Override
    public void close() {
        runner.close();
    }
}
