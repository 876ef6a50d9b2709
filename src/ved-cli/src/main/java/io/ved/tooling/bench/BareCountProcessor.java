package io.ved.tooling.bench;

import io.ved.envelope.WireFormat;
import io.ved.tooling.bench.model.BenchMessage;
import io.ved.tooling.bench.model.BenchState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The processor of variant (b), bare Kafka Streams: decode the Avro message, read the key's Avro state, count,
 * write the state back, forward the record. Public so that the JMH benchmarks can set it against Ved's processor.
 */
public final class BareCountProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    /** Told, for each record, its timestamp and how long ago that was when it was processed. */
    @FunctionalInterface
    public interface Observer {
        void processed(long sentMs, long latencyMs);
    }

    private static final SpecificDatumReader<BenchMessage> MESSAGES = new SpecificDatumReader<>(BenchMessage.class);
    private static final SpecificDatumReader<BenchState> STATES = new SpecificDatumReader<>(BenchState.class);
    private static final SpecificDatumWriter<BenchState> STATE_WRITER = new SpecificDatumWriter<>(BenchState.class);

    private final String storeName;
    private final Observer observer;
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<String, byte[]> store;
    private BinaryDecoder decoder;
    private BinaryEncoder encoder;

    public BareCountProcessor(String storeName, Observer observer) {
        this.storeName = storeName;
        this.observer = observer;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String key = new String(record.key(), StandardCharsets.UTF_8);
        byte[] value = record.value();
        try {
            decoder = DecoderFactory.get().binaryDecoder(value, WireFormat.HEADER_SIZE, value.length - WireFormat.HEADER_SIZE, decoder);
            BenchMessage message = MESSAGES.read(null, decoder);
            byte[] stored = store.get(key);
            BenchState state;
            if (stored == null) {
                state = new BenchState(0L, -1L);
            } else {
                decoder = DecoderFactory.get().binaryDecoder(stored, decoder);
                state = STATES.read(null, decoder);
            }
            state.setCount(state.getCount() + 1);
            state.setLastSeq(message.getSeq());
            ByteArrayOutputStream out = new ByteArrayOutputStream(32);
            encoder = EncoderFactory.get().directBinaryEncoder(out, encoder);
            STATE_WRITER.write(state, encoder);
            encoder.flush();
            store.put(key, out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        context.forward(record);
        if (observer != null) {
            observer.processed(record.timestamp(), System.currentTimeMillis() - record.timestamp());
        }
    }
}
