package io.ved.tooling.parked;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Puts parked records (dead letters being redriven, quarantined messages being released) back into their inboxes,
 * and says for each where it landed or why it did not. All are sent before any is waited for, and a record counts as
 * sent only once every in-sync replica has it.
 */
public final class Reinjector {
    private static final long ANSWER_SECONDS = 60;

    private Reinjector() {
    }

    /** What became of one record. */
    public sealed interface Outcome permits Landed, Failed {
    }

    public record Landed(int partition, long offset) implements Outcome {
    }

    public record Failed(String why) implements Outcome {
    }

    /**
     * @param records the records to send, in order; a null stands for one that is not to be sent (a refused plan)
     * @return one outcome per record, in the same order; null where the record was null
     */
    public static List<Outcome> send(String bootstrap, String clientId, List<ProducerRecord<byte[], byte[]>> records)
            throws InterruptedException {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, clientId)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> record : records) {
                sent.add(record == null ? null : sendOne(producer, record));
            }
            producer.flush();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<RecordMetadata> future : sent) {
                outcomes.add(future == null ? null : outcomeOf(future));
            }
            return outcomes;
        }
    }

    private static Future<RecordMetadata> sendOne(KafkaProducer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record) {
        try {
            return producer.send(record);
        } catch (KafkaException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Outcome outcomeOf(Future<RecordMetadata> future) throws InterruptedException {
        try {
            RecordMetadata at = future.get(ANSWER_SECONDS, TimeUnit.SECONDS);
            return new Landed(at.partition(), at.offset());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return new Failed(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
        } catch (TimeoutException e) {
            return new Failed("no answer within " + ANSWER_SECONDS + " s");
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap, String clientId) {
        return new KafkaProducer<>(io.ved.runtime.ToolClients.with(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000)),
                new ByteArraySerializer(), new ByteArraySerializer());
    }
}
