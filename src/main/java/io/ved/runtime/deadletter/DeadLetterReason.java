package io.ved.runtime.deadletter;

/** Why a record became a dead letter; written in the {@code ved_dlq_reason} header. */
public enum DeadLetterReason {
    /** No key: the key must be the target domain id. */
    NO_KEY,
    /** Not in the wire format, or the bytes don't fit the schema they name. */
    UNDECODABLE,
    /** The schema id is unknown to the registry. */
    UNKNOWN_SCHEMA,
    /** Valid Avro of a message type the domain does not accept. */
    UNKNOWN_MESSAGE_TYPE,
    /** Envelope headers present but unreadable. */
    MALFORMED_ENVELOPE,
    /** The handler threw on every attempt, or returned no state, or sent something its domain does not declare. */
    HANDLER_FAILED,
    /** The handler ran past its time limit. */
    HANDLER_TIMEOUT
}
