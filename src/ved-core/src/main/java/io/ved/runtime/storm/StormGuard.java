package io.ved.runtime.storm;

import io.ved.envelope.Envelope;
import java.util.Optional;

/** Decides, before a message is handled, whether it belongs to a storm and must be quarantined. */
public final class StormGuard {
    private final StormPolicy policy;

    public StormGuard(StormPolicy policy) {
        this.policy = policy;
    }

    /** Why the message is stopped, if it is. */
    public record Verdict(Quarantine.Reason reason, String detail, Optional<Oscillation.Cycle> cycle) {
    }

    /**
     * @param trail the message's trail, including its own arrival step
     */
    public Optional<Verdict> check(Envelope envelope, Trail trail) {
        if (envelope.hops() > policy.hopLimit()) {
            return Optional.of(new Verdict(Quarantine.Reason.HOP_LIMIT, envelope.type() + " to " + envelope.subject() + " is "
                    + envelope.hops() + " sends from its root, past the hop limit of " + policy.hopLimit(), Optional.empty()));
        }
        return Oscillation.find(trail, policy.maxRepeats()).map(cycle -> new Verdict(Quarantine.Reason.OSCILLATION,
                "a loop of sends: " + cycle.describe() + ", more than the " + policy.maxRepeats() + " repeats allowed",
                Optional.of(cycle)));
    }
}
