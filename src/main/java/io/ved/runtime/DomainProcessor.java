package io.ved.runtime;

import io.ved.api.DomainDefinition;
import io.ved.api.Handler;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.RecordPosition;
import io.ved.runtime.deadletter.DeadLetterReason;
import io.ved.runtime.deadletter.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The mailbox of one domain type on one partition: it takes the inbox records one at a time, in offset
 * order, and for each one decodes it, runs the handler on the instance's state, stores the new state and
 * forwards the buffered sends. Kafka Streams commits all of that, with the consumed offset, in one
 * exactly-once transaction. A record that cannot be handled becomes a dead letter and the mailbox goes on.
 */
final class DomainProcessor<S extends SpecificRecord> implements Processor<byte[], byte[], byte[], byte[]> {
    private final DomainDefinition<S> domain;
    private final DomainCatalog catalog;
    private final MessageCodec codec;
    private final InboxDecoder decoder;
    private final String storeName;
    private final Map<String, String> sinkByTopic;
    private final String deadLetterSink;
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<String, byte[]> states;

    DomainProcessor(DomainDefinition<S> domain, DomainCatalog catalog, MessageCodec codec, String storeName,
                    Map<String, String> sinkByTopic, String deadLetterSink) {
        this.domain = domain;
        this.catalog = catalog;
        this.codec = codec;
        this.decoder = new InboxDecoder(domain, codec);
        this.storeName = storeName;
        this.sinkByTopic = sinkByTopic;
        this.deadLetterSink = deadLetterSink;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.states = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordPosition position = positionOf(record);
        Inbound inbound;
        try {
            inbound = decoder.decode(record.key(), record.value(), record.headers(), position);
        } catch (RejectedMessageException e) {
            deadLetter(record, position, e.reason(), e);
            return;
        }
        Handled handled;
        try {
            handled = handle(inbound);
        } catch (RuntimeException e) {
            deadLetter(record, position, DeadLetterReason.HANDLER_FAILED, e);
            return;
        }
        states.put(inbound.target().id(), handled.encodedState());
        handled.sends().forEach(send -> context.forward(send.record(), send.sink()));
    }

    /** The handler's outcome, already encoded, so nothing can fail between storing the state and forwarding. */
    private record Handled(byte[] encodedState, List<RoutedSend> sends) {
    }

    private record RoutedSend(String sink, Record<byte[], byte[]> record) {
    }

    private Handled handle(Inbound inbound) {
        S state = loadState(inbound.target().id());
        HandlingContext ctx = new HandlingContext(domain, catalog, inbound.envelope(), inbound.target());
        S next = invoke(state, inbound.message(), ctx);
        if (next == null) {
            throw new IllegalStateException(domain.type() + "'s handler of " + inbound.message().getClass().getSimpleName()
                    + " returned no state: return the state unchanged when nothing changes");
        }
        List<RoutedSend> sends = ctx.outgoing().stream().map(this::route).toList();
        return new Handled(codec.encode(next), sends);
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

    private RoutedSend route(Outgoing out) {
        String sink = sinkByTopic.get(out.topic());
        if (sink == null) {
            throw new IllegalStateException(domain.type() + " has no route to topic " + out.topic());
        }
        RecordHeaders headers = new RecordHeaders();
        EnvelopeHeaders.write(out.envelope(), headers);
        return new RoutedSend(sink, new Record<>(out.key().getBytes(StandardCharsets.UTF_8), codec.encode(out.message()),
                out.envelope().time().toEpochMilli(), headers));
    }

    private void deadLetter(Record<byte[], byte[]> record, RecordPosition position, DeadLetterReason reason, Throwable error) {
        context.forward(DeadLetters.of(record, position, domain.type(), reason, error), deadLetterSink);
    }

    private RecordPosition positionOf(Record<byte[], byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        return new RecordPosition(meta.topic(), meta.partition(), meta.offset(), record.timestamp());
    }
}
