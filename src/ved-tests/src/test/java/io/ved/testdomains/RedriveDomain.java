package io.ved.testdomains;

import io.ved.api.DomainDefinition;
import io.ved.api.DomainType;
import java.util.ArrayList;
import java.util.List;

/**
 * A test domain whose handler fails on a message's first delivery from outside (no causation id) and succeeds
 * on a redriven one (which names the dead letter's original as its cause), for the dead-letter tools' tests.
 * Usable as {@code ved --domains io.ved.testdomains.RedriveDomain}.
 */
public final class RedriveDomain {
    public static final DomainType TYPE = DomainType.named("RedriveDomain");

    private RedriveDomain() {
    }

    public static DomainDefinition<LedgerState> definition() {
        return DomainDefinition.of(TYPE, LedgerState.class)
                .initialState(id -> new LedgerState(List.of()))
                .on(Append.class, (state, append, ctx) -> {
                    if (ctx.causationId().isEmpty()) {
                        throw new IllegalStateException("entry " + append.getSeq() + " arrived without a cause: fails until redriven");
                    }
                    List<Long> entries = new ArrayList<>(state.getEntries());
                    entries.add(append.getSeq());
                    return new LedgerState(entries);
                })
                .build();
    }

    public static List<DomainDefinition<?>> domains() {
        return List.of(definition());
    }
}
