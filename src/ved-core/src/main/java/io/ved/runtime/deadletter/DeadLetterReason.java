package io.ved.runtime.deadletter;

/** Why a record became a dead letter; written in the {@code ved_dlq_reason} header. */
public enum DeadLetterReason {
    /** No key: the key must be the target domain id. */
    NO_KEY,
    /** A key that cannot be a domain id: blank, not UTF-8, with control characters, too long, or with '[' or ']'. */
    INVALID_KEY,
    /** Not in the wire format, or the bytes don't fit the schema they name. */
    UNDECODABLE,
    /** The schema id is unknown to the registry. */
    UNKNOWN_SCHEMA,
    /** The schema id names a schema Ved cannot read by (JSON Schema, Protobuf, invalid), or the registry refused it. */
    UNUSABLE_SCHEMA,
    /** Valid Avro of a message type the domain does not accept. */
    UNKNOWN_MESSAGE_TYPE,
    /** Envelope headers present but unreadable. */
    MALFORMED_ENVELOPE,
    /** The handler threw on every attempt, or returned no state, or sent something its domain does not declare. */
    HANDLER_FAILED,
    /** The handler ran past its time limit. */
    HANDLER_TIMEOUT,
    /** The instance's (or the partition's) deferred queue is at its bound: the message could not wait its turn. */
    DEFERRED_QUEUE_FULL,
    /**
     * Due work that can no longer be done after a redeploy: a queued message, held send or timer whose target topic
     * is gone, or whose stored bytes cannot be read.
     */
    UNROUTABLE,
    /** Ved itself failed on this record in a way no other reason names; the error says where (report it). */
    PROCESSING_FAILED
}
