package io.ved.api;

import org.apache.avro.specific.SpecificRecord;

/**
 * Handles one message type for one domain type: given the current state and the message, it returns the
 * new state and asks the context for any sends. It must be deterministic and do no I/O, so that a replay
 * of the mailbox gives the same states and the same sends.
 */
@FunctionalInterface
public interface Handler<S extends SpecificRecord, M extends SpecificRecord> {
    S handle(S state, M message, Context context);
}
