package io.ved.tooling.storm;

import io.ved.api.MessageId;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.runtime.storm.Quarantine;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One record of the storm topic, as the tools show it.
 *
 * @param id         where it sits in the storm topic, which is how the user names it
 * @param time       the record's time: the quarantined message's own time
 * @param quarantine why it was stopped, and the original key, bytes and envelope
 */
public record StoredQuarantine(StormId id, Instant time, Quarantine quarantine) {

    /** The target instance: the domain type that stopped it and the record key. */
    public String target() {
        return quarantine.domain() + "[" + key().orElse("?") + "]";
    }

    public Optional<String> key() {
        byte[] key = quarantine.key();
        return key == null || key.length == 0 ? Optional.empty() : Optional.of(new String(key, StandardCharsets.UTF_8));
    }

    /** The message's full type name from its envelope, {@code ?} when it had none. */
    public String messageType() {
        return header(EnvelopeHeaders.TYPE).orElse("?");
    }

    public String simpleMessageType() {
        String type = messageType();
        return type.substring(type.lastIndexOf('.') + 1);
    }

    /**
     * The id the message had in Ved: its {@code ce_id}, or, for a record that came without one, the id derived on
     * entry from its inbox position.
     */
    public Optional<MessageId> messageId() {
        return header(EnvelopeHeaders.ID).map(MessageId::new).or(() -> quarantine.topic().equals("?") || quarantine.partition() < 0
                || quarantine.offset() < 0 ? Optional.empty()
                : Optional.of(MessageId.derivedFrom(quarantine.topic(), Integer.toString(quarantine.partition()),
                        Long.toString(quarantine.offset()))));
    }

    /** Its correlation id: the envelope's, or for a message that came without one, the correlation it started. */
    public Optional<String> correlationId() {
        return header(EnvelopeHeaders.CORRELATION_ID).or(() -> messageId().map(MessageId::value));
    }

    public Optional<String> causationId() {
        return header(EnvelopeHeaders.CAUSATION_ID);
    }

    public int hops() {
        try {
            return header(EnvelopeHeaders.HOPS).map(Integer::parseInt).orElse(0);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public Quarantine.Reason reason() {
        return quarantine.reason();
    }

    /**
     * What this message is grouped under: the loop it was part of, its steps rotated to start at the
     * alphabetically first one (so "A -> B" and "B -> A", seen from either end, are one loop), or the reason
     * for a message that was not stopped for a loop.
     */
    public String group() {
        if (quarantine.reason() != Quarantine.Reason.OSCILLATION || quarantine.cycle().isBlank()) {
            return quarantine.reason().name();
        }
        return normalizedCycle(quarantine.cycle());
    }

    /** The domain types the loop went through (or the stopping domain, for a message not stopped for a loop). */
    public List<String> domains() {
        List<String> types = new ArrayList<>();
        for (String step : steps()) {
            int bracket = step.indexOf('[');
            if (bracket > 0) {
                types.add(step.substring(0, bracket));
            }
        }
        if (types.isEmpty()) {
            types.add(quarantine.domain());
        }
        return types;
    }

    /** The message types the loop carried (or this message's type). */
    public List<String> messageTypes() {
        List<String> types = new ArrayList<>();
        for (String step : steps()) {
            int colon = step.lastIndexOf(':');
            if (colon > 0 && step.indexOf('[') > 0) {
                types.add(step.substring(colon + 1));
            }
        }
        if (types.isEmpty()) {
            types.add(simpleMessageType());
        }
        return types;
    }

    private List<String> steps() {
        return quarantine.reason() == Quarantine.Reason.OSCILLATION && !quarantine.cycle().isBlank()
                ? Arrays.asList(quarantine.cycle().split(" -> ")) : List.of();
    }

    static String normalizedCycle(String cycle) {
        List<String> steps = Arrays.asList(cycle.split(" -> "));
        int first = 0;
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).compareTo(steps.get(first)) < 0) {
                first = i;
            }
        }
        List<String> rotated = new ArrayList<>(steps.subList(first, steps.size()));
        rotated.addAll(steps.subList(0, first));
        return String.join(" -> ", rotated);
    }

    private Optional<String> header(String name) {
        return EnvelopeHeaders.text(quarantine.originalHeaders(), name);
    }
}
