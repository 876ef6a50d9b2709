package io.ved.tooling.bench;

import io.ved.envelope.WireFormat;
import io.ved.tooling.bench.model.BenchMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The benchmark's input: message {@code seq} goes to key {@code k<seq mod keys>} and is a {@link BenchMessage} in
 * the registry's wire format, padded to the configured size. Plain records, with no Ved envelope headers, as any
 * outside producer would send them; every variant reads exactly these bytes.
 */
final class Load {
    private static final SpecificDatumWriter<BenchMessage> WRITER = new SpecificDatumWriter<>(BenchMessage.class);

    private final int keys;
    private final int schemaId;
    private final String payload;

    /**
     * @param schemaId the registry id of {@link BenchMessage} (any number for the variants that never look it up)
     */
    Load(int keys, int valueBytes, int schemaId) {
        this.keys = keys;
        this.schemaId = schemaId;
        // header 5, seq varint <= 5 for the counts used here, string length varint 1-2
        this.payload = "x".repeat(Math.max(1, valueBytes - WireFormat.HEADER_SIZE - 5 - 2));
    }

    static String key(long k) {
        return "k" + k;
    }

    byte[] keyOf(long seq) {
        return key(seq % keys).getBytes(StandardCharsets.UTF_8);
    }

    byte[] valueOf(long seq) {
        return value(schemaId, new BenchMessage(seq, payload));
    }

    static byte[] value(int schemaId, BenchMessage message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.write(WireFormat.MAGIC);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            WRITER.write(message, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Map<String, Object> producerConfig(String bootstrap, String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        return config;
    }

    static KafkaProducer<byte[], byte[]> producer(Map<String, Object> config) {
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Produces messages {@code from} until {@code to} (exclusive) as fast as the broker takes them, and waits for all. */
    void produce(String bootstrap, String topic, long from, long to) {
        try (KafkaProducer<byte[], byte[]> producer = producer(producerConfig(bootstrap, "bench-preload"))) {
            long now = System.currentTimeMillis();
            for (long seq = from; seq < to; seq++) {
                producer.send(new ProducerRecord<>(topic, null, now, keyOf(seq), valueOf(seq)));
            }
            producer.flush();
        }
    }

    /** What a paced run sent: how many, and how many of them fell into the measured window. */
    record Paced(long sent, long inWindow) {
    }

    /**
     * Sends at a fixed rate until {@code windowEndMs}: message i leaves at start + i/rate, stamped with the
     * wall-clock time it leaves (the record timestamp, which every variant carries through to what it writes).
     * With a transactional producer, a transaction is committed every {@code transactionMs}.
     */
    Paced paced(KafkaProducer<byte[], byte[]> producer, String topic, double rate, long windowStartMs, long windowEndMs,
                long firstSeq, long transactionMs, AtomicBoolean stop) {
        boolean transactional = transactionMs > 0;
        long startNanos = System.nanoTime();
        long total = (long) Math.ceil(rate * Math.max(0, windowEndMs - System.currentTimeMillis()) / 1000.0);
        long sent = 0;
        long inWindow = 0;
        long txnStarted = 0;
        if (transactional) {
            producer.beginTransaction();
            txnStarted = System.nanoTime();
        }
        while (sent < total && !stop.get()) {
            long due = startNanos + (long) (sent * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 50_000) {
                LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(1)));
            } else {
                long now = System.currentTimeMillis();
                long seq = firstSeq + sent;
                producer.send(new ProducerRecord<>(topic, null, now, keyOf(seq), valueOf(seq)));
                if (now >= windowStartMs && now < windowEndMs) {
                    inWindow++;
                }
                sent++;
            }
            if (transactional && System.nanoTime() - txnStarted >= TimeUnit.MILLISECONDS.toNanos(transactionMs)) {
                producer.commitTransaction();
                producer.beginTransaction();
                txnStarted = System.nanoTime();
            }
        }
        if (transactional) {
            producer.commitTransaction();
        } else {
            producer.flush();
        }
        return new Paced(sent, inWindow);
    }
}
