package io.ved.tooling.inspect;

import io.ved.envelope.Envelope;
import org.apache.avro.generic.IndexedRecord;

/** A message as read back from a Ved topic: where it sits, its envelope and its decoded value. */
public record LoggedMessage(String topic, int partition, long offset, Envelope envelope, IndexedRecord message) {

    /** Who sent it: a domain address, or the outside source. */
    public String from() {
        return envelope.sender().map(Object::toString).orElse(envelope.source());
    }

    public String typeName() {
        return message.getSchema().getName();
    }
}
