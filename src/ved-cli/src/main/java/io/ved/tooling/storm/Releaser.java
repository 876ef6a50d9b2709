package io.ved.tooling.storm;

import io.ved.api.DomainType;
import io.ved.api.MessageId;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.runtime.storm.Trail;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Re-injects quarantined messages into their inbox, after the loop or runaway chain that stopped them is fixed.
 *
 * <p>A released record carries the quarantined message's key, value bytes and envelope headers, but it is a new
 * message and a new start: a new message id ({@code ce_id}); the same correlation ({@code ce_correlationid},
 * or the original's id when it started its own); the quarantined message as its cause ({@code ce_causationid});
 * {@code ce_hops} back to 0; and no loop trail ({@code ved_trail}, {@code ved_trail_names}), since with its old
 * path it would be quarantined again at once. The {@code ved_storm_*} headers are not carried.
 */
public final class Releaser {
    private final TopologyFile topology;
    private final Supplier<MessageId> newIds;

    public Releaser(TopologyFile topology) {
        this(topology, MessageId::random);
    }

    Releaser(TopologyFile topology, Supplier<MessageId> newIds) {
        this.topology = topology;
        this.newIds = newIds;
    }

    /** Releasing one quarantined message: a record ready to send, or why it cannot be. */
    public sealed interface Plan permits Ready, Refused {
        StoredQuarantine source();
    }

    public record Ready(StoredQuarantine source, String topic, MessageId newId, String correlationId, String causationId,
                        Headers headers) implements Plan {
        public ProducerRecord<byte[], byte[]> record() {
            return new ProducerRecord<>(topic, null, null, source.quarantine().key(), source.quarantine().value(), headers);
        }
    }

    public record Refused(StoredQuarantine source, String reason) implements Plan {
    }

    public Plan plan(StoredQuarantine q) {
        DomainType type;
        try {
            type = DomainType.named(q.quarantine().domain());
        } catch (IllegalArgumentException e) {
            return new Refused(q, "the record does not name its domain type (ved_storm_domain is '" + q.quarantine().domain() + "')");
        }
        Optional<DomainTopic> inbox = topology.domain(type);
        if (inbox.isEmpty()) {
            return new Refused(q, type + " has no inbox in topology '" + topology.application() + "' (known: "
                    + topology.typeNames() + "): is this the right --topology?");
        }
        if (q.key().isEmpty()) {
            return new Refused(q, "the record has no key");
        }
        Optional<MessageId> original = q.messageId();
        if (original.isEmpty()) {
            return new Refused(q, "the record names neither its message id nor its inbox position");
        }
        MessageId newId = newIds.get();
        String correlation = q.correlationId().orElse(original.get().value());
        return new Ready(q, inbox.get().topic(), newId, correlation, original.get().value(),
                headers(q, newId, correlation, original.get()));
    }

    /** The headers of the released record (see the class comment). */
    static Headers headers(StoredQuarantine q, MessageId newId, String correlation, MessageId cause) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : q.quarantine().originalHeaders()) {
            if (!h.key().equals(Trail.HASHES_HEADER) && !h.key().equals(Trail.NAMES_HEADER)) {
                headers.add(h.key(), h.value());
            }
        }
        EnvelopeHeaders.put(headers, EnvelopeHeaders.ID, newId.value());
        EnvelopeHeaders.put(headers, EnvelopeHeaders.CORRELATION_ID, correlation);
        EnvelopeHeaders.put(headers, EnvelopeHeaders.CAUSATION_ID, cause.value());
        EnvelopeHeaders.put(headers, EnvelopeHeaders.HOPS, "0");
        return headers;
    }
}
