package io.ved.runtime.deadletter;

/**
 * Headers a dead letter carries on top of the original record's own headers (which are kept as they came),
 * so that a dead letter says why and where, and can be redriven byte for byte.
 */
public final class DeadLetterHeaders {
    public static final String REASON = "ved_dlq_reason";
    public static final String ERROR = "ved_dlq_error";
    public static final String DOMAIN = "ved_dlq_domain";
    public static final String TOPIC = "ved_dlq_topic";
    public static final String PARTITION = "ved_dlq_partition";
    public static final String OFFSET = "ved_dlq_offset";
    /** How many times the handler was tried (0 when the record never reached it). */
    public static final String ATTEMPTS = "ved_dlq_attempts";

    private DeadLetterHeaders() {
    }
}
