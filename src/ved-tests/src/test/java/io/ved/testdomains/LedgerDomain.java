package io.ved.testdomains;

import io.ved.api.DomainDefinition;
import io.ved.api.DomainType;
import java.util.ArrayList;
import java.util.List;

/**
 * A test domain that records the order in which it handled messages, fails on demand, and can forward an
 * entry to another instance, so runtime tests can observe ordering, dead letters and chains.
 */
public final class LedgerDomain {
    public static final DomainType LEDGER = DomainType.named("LedgerDomain");
    public static final DomainType AUDIT = DomainType.named("AuditDomain");

    private LedgerDomain() {
    }

    public static DomainDefinition<LedgerState> ledger() {
        return define(LEDGER);
    }

    /** A second type with the same behaviour, so chains can cross domain types. */
    public static DomainDefinition<LedgerState> audit() {
        return define(AUDIT);
    }

    private static DomainDefinition<LedgerState> define(DomainType type) {
        return DomainDefinition.of(type, LedgerState.class)
                .initialState(id -> new LedgerState(List.of()))
                .on(Append.class, (state, append, ctx) -> {
                    if (append.getFail()) {
                        throw new IllegalStateException("asked to fail on entry " + append.getSeq());
                    }
                    if (append.getForwardTo() != null) {
                        ctx.send(io.ved.api.DomainRef.parse(append.getForwardTo()), new Append(append.getSeq(), false, null));
                    }
                    List<Long> entries = new ArrayList<>(state.getEntries());
                    entries.add(append.getSeq());
                    return new LedgerState(entries);
                })
                .sends(LEDGER, Append.class)
                .sends(AUDIT, Append.class)
                .build();
    }
}
