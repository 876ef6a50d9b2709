package io.ved.runtime;

import io.ved.api.DomainRef;
import io.ved.envelope.Envelope;
import org.apache.avro.specific.SpecificRecord;

/** A decoded message in a domain's mailbox, ready for its handler. */
record Inbound(DomainRef target, SpecificRecord message, Envelope envelope) {
}
