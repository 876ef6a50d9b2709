package io.ved.tooling.send;

import io.ved.api.DomainRef;
import org.apache.avro.specific.SpecificRecord;

/** A message that passed every check: an instance of the generated class the target's domain type accepts. */
public record CheckedSend(DomainRef target, SpecificRecord message) {
}
