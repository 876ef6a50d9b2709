package io.ved.runtime.mailbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * How many messages one inbox partition holds back in the runtime's own queues, as its task last published it to
 * the application's compacted {@code <application>.depth} topic: messages waiting in a retry or throttle queue
 * ({@code mailbox}) and sends held by the throttle ({@code outbox}). Kafka's consumer lag does not see them, since
 * their records were consumed; senders add {@code mailbox} to the lag to get a mailbox's whole depth.
 *
 * @param topic     the inbox topic
 * @param partition its partition
 * @param mailbox   messages waiting to be handled
 * @param outbox    sends waiting to be released
 * @param at        when it was measured, epoch milliseconds
 */
public record DeferredDepth(String topic, int partition, long mailbox, long outbox, long at) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The key of this partition's record: {@code <topic>/<partition>}, so the topic keeps the latest per partition. */
    public String key() {
        return topic + "/" + partition;
    }

    /** The record's value, a small JSON object. */
    public byte[] value() {
        return ("{\"topic\":\"" + topic + "\",\"partition\":" + partition + ",\"mailbox\":" + mailbox + ",\"outbox\":"
                + outbox + ",\"at\":" + at + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** Reads a record value; empty for a value that is not one (a tombstone, or a foreign record). */
    public static Optional<DeferredDepth> parse(byte[] value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(value);
            if (!node.hasNonNull("topic") || !node.hasNonNull("partition")) {
                return Optional.empty();
            }
            return Optional.of(new DeferredDepth(node.get("topic").asText(), node.get("partition").asInt(),
                    node.path("mailbox").asLong(), node.path("outbox").asLong(), node.path("at").asLong()));
        } catch (java.io.IOException | RuntimeException notJson) {
            return Optional.empty();
        }
    }
}
