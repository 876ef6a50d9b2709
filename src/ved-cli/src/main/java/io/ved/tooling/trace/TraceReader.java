package io.ved.tooling.trace;

import io.ved.envelope.MessageCodec;
import io.ved.internal.TraceRecord;
import io.ved.tooling.inspect.KeyPartition;
import io.ved.tooling.inspect.LogScanner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the trace records of one correlation. They are keyed by correlation id, so under the default
 * partitioner they all sit in one partition of the trace topic, which is read from its start to its last
 * stable offset ({@code read_committed}: a trace record is only visible once the effect it tells of committed).
 * When that partition holds none, the other partitions are read too, in case a producer partitioned otherwise.
 */
public final class TraceReader {
    private final String bootstrap;
    private final MessageCodec codec;
    private final Duration timeout;

    public TraceReader(String bootstrap, MessageCodec codec, Duration timeout) {
        this.bootstrap = bootstrap;
        this.codec = codec;
        this.timeout = timeout;
    }

    /** What was read: the records in the order they were written, and how many could not be decoded. */
    public record Result(List<TraceRecord> records, int partitions, int undecodable) {
    }

    /** @throws NoSuchTopicException when the trace topic does not exist */
    public Result read(String traceTopic, String correlationId) throws TimeoutException {
        byte[] key = correlationId.getBytes(StandardCharsets.UTF_8);
        try (LogScanner scanner = new LogScanner(bootstrap, timeout)) {
            int partitions = scanner.partitions(traceTopic);
            if (partitions == 0) {
                throw new NoSuchTopicException(traceTopic);
            }
            int home = KeyPartition.of(key, partitions);
            List<TraceRecord> records = new ArrayList<>();
            int[] undecodable = {0};
            scan(scanner, List.of(new TopicPartition(traceTopic, home)), key, records, undecodable);
            if (records.isEmpty() && partitions > 1) {
                List<TopicPartition> others = scanner.partitionsOf(traceTopic).stream().filter(tp -> tp.partition() != home).toList();
                scan(scanner, others, key, records, undecodable);
            }
            return new Result(records, partitions, undecodable[0]);
        }
    }

    private void scan(LogScanner scanner, List<TopicPartition> partitions, byte[] key, List<TraceRecord> into, int[] undecodable)
            throws TimeoutException {
        scanner.scan(partitions, Map.of(), Map.of(), r -> {
            if (r.key() != null && Arrays.equals(r.key(), key) && r.value() != null) {
                try {
                    into.add(codec.decode(r.value(), TraceRecord.class));
                } catch (RuntimeException e) {
                    undecodable[0]++;
                }
            }
        });
    }

    /** The topic is not there: the application never ran against this cluster, or the name differs. */
    public static final class NoSuchTopicException extends RuntimeException {
        public NoSuchTopicException(String topic) {
            super("topic " + topic + " does not exist");
        }
    }
}
