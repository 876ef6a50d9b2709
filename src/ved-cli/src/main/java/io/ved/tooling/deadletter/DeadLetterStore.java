package io.ved.tooling.deadletter;

import io.ved.api.DomainType;
import io.ved.runtime.deadletter.DeadLetter;
import io.ved.runtime.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The dead letters of an application as they stand: every committed record of its dead-letter topic, read
 * from the beginning, in time order (then by id). Each is named by its {@link DeadLetterId}.
 */
public final class DeadLetterStore {
    private final String topic;
    private final List<StoredDeadLetter> letters;
    private final List<DeadLetterId> unreadable;

    private DeadLetterStore(String topic, List<StoredDeadLetter> letters, List<DeadLetterId> unreadable) {
        this.topic = topic;
        this.letters = List.copyOf(letters);
        this.unreadable = List.copyOf(unreadable);
    }

    /** Reads the whole topic with read_committed; the topic must exist. */
    public static DeadLetterStore read(String bootstrap, String topic, WriterTypes types, Duration timeout) throws TimeoutException {
        return of(topic, TopicReader.readAll(bootstrap, List.of(topic), timeout), types);
    }

    public static DeadLetterStore of(String topic, List<ConsumerRecord<byte[], byte[]>> records, WriterTypes types) {
        List<StoredDeadLetter> letters = new ArrayList<>();
        List<DeadLetterId> unreadable = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            DeadLetterId id = new DeadLetterId(r.partition(), r.offset());
            DeadLetter letter;
            try {
                letter = DeadLetter.from(r.key(), r.value(), r.headers());
            } catch (IllegalArgumentException notADeadLetter) {
                // An unknown ved_dlq_reason or a bad partition/offset header: not written by Ved.
                unreadable.add(id);
                continue;
            }
            String type = letter.messageType().or(() -> types.typeOf(r.value())).orElse(StoredDeadLetter.UNKNOWN_TYPE);
            letters.add(new StoredDeadLetter(id, Instant.ofEpochMilli(r.timestamp()), letter, type));
        }
        letters.sort(Comparator.comparing(StoredDeadLetter::time).thenComparing(StoredDeadLetter::id));
        return new DeadLetterStore(topic, letters, unreadable);
    }

    public String topic() {
        return topic;
    }

    /** Every dead letter, oldest first. */
    public List<StoredDeadLetter> all() {
        return letters;
    }

    /** The dead letters of one domain type, oldest first; all of them when no type is given. */
    public List<StoredDeadLetter> of(Optional<DomainType> domain) {
        return domain.map(d -> letters.stream().filter(l -> l.letter().domain().equals(d.name())).toList()).orElse(letters);
    }

    public Optional<StoredDeadLetter> find(DeadLetterId id) {
        return letters.stream().filter(l -> l.id().equals(id)).findFirst();
    }

    /** Records of the topic that are not Ved dead letters (they have unreadable ved_dlq_* headers). */
    public List<DeadLetterId> unreadable() {
        return unreadable;
    }
}
