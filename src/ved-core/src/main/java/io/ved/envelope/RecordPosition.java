package io.ved.envelope;

/** Where a record sits in Kafka, and its timestamp: what identifies a message that came without an id. */
public record RecordPosition(String topic, int partition, long offset, long timestamp) {
    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
