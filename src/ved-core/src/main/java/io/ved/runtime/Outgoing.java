package io.ved.runtime;

import io.ved.envelope.Envelope;
import org.apache.avro.specific.SpecificRecord;

/** A message a handler asked to send, held until the handler returns and then produced in its transaction. */
public record Outgoing(String topic, String key, SpecificRecord message, Envelope envelope) {
}
