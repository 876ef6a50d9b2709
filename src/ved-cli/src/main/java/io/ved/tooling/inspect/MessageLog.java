package io.ved.tooling.inspect;

import io.ved.runtime.TopicReader;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.RecordPosition;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Every committed message of an application's inboxes and reply topic, decoded with its envelope, grouped by
 * correlation in causal order: the raw material of the demo's account and of traces.
 */
public final class MessageLog {
    private final List<LoggedMessage> messages;

    private MessageLog(List<LoggedMessage> messages) {
        this.messages = messages;
    }

    public static MessageLog read(String bootstrap, TopologyFile file, MessageCodec codec, Duration timeout) throws TimeoutException {
        List<String> topics = new ArrayList<>(file.domains().stream().map(DomainTopic::topic).toList());
        topics.add(file.replyTopic());
        List<LoggedMessage> messages = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(bootstrap, topics, timeout)) {
            decode(file, codec, r).ifPresent(messages::add);
        }
        return new MessageLog(messages);
    }

    /** Records that are not Ved messages (they end as dead letters) are left out of the log. */
    private static Optional<LoggedMessage> decode(TopologyFile file, MessageCodec codec, ConsumerRecord<byte[], byte[]> r) {
        try {
            var message = codec.decodeAny(r.value());
            var position = new RecordPosition(r.topic(), r.partition(), r.offset(), r.timestamp());
            var envelope = r.topic().equals(file.replyTopic())
                    ? EnvelopeHeaders.read(r.headers())
                    : EnvelopeHeaders.readOnEntry(r.headers(), position,
                    file.domains().stream().filter(d -> d.topic().equals(r.topic())).findFirst().orElseThrow().type()
                            .ref(new String(r.key(), StandardCharsets.UTF_8)), message.getSchema().getFullName());
            return Optional.of(new LoggedMessage(r.topic(), r.partition(), r.offset(), envelope, message));
        } catch (RuntimeException notAVedMessage) {
            return Optional.empty();
        }
    }

    public List<LoggedMessage> all() {
        return List.copyOf(messages);
    }

    /** Correlation id -> its messages, in causal order (by hops, then time); correlations in order of first message. */
    public Map<String, List<LoggedMessage>> byCorrelation() {
        Map<String, List<LoggedMessage>> groups = new LinkedHashMap<>();
        messages.stream()
                .sorted(Comparator.comparing((LoggedMessage m) -> m.envelope().time()).thenComparingInt(m -> m.envelope().hops()))
                .forEach(m -> groups.computeIfAbsent(m.envelope().correlation().value(), c -> new ArrayList<>()).add(m));
        groups.values().forEach(list -> list.sort(Comparator.comparingInt((LoggedMessage m) -> m.envelope().hops())
                .thenComparing(m -> m.envelope().time())));
        return groups;
    }
}
