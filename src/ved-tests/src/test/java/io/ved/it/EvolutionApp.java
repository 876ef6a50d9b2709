package io.ved.it;

import io.ved.api.DomainDefinition;
import io.ved.api.DomainType;
import io.ved.testdomains.LedgerState;
import io.ved.testdomains.evolution.Measure;
import io.ved.testdomains.evolution.Reading;
import java.util.ArrayList;
import java.util.List;

/** A domain whose message schema has evolved, for the schema-evolution tests (also usable as ved --domains). */
public final class EvolutionApp {
    public static final DomainType SCALE = DomainType.named("ScaleDomain");

    private EvolutionApp() {
    }

    /** Each Measure appends its value, times 1000 when the unit is tonnes, so the test sees the default unit applied. */
    public static List<DomainDefinition<?>> domains() {
        return List.of(DomainDefinition.of(SCALE, LedgerState.class)
                .initialState(id -> new LedgerState(List.of()))
                .on(Measure.class, (state, m, ctx) -> {
                    List<Long> entries = new ArrayList<>(state.getEntries());
                    entries.add(m.getUnit().equals("t") ? m.getValue() * 1000 : m.getValue());
                    return new LedgerState(entries);
                })
                .build());
    }

    /** The same domain type accepting only Reading, whose schema no other test registers (for ved send --domains). */
    public static final class ReadingOnly {
        private ReadingOnly() {
        }

        public static List<DomainDefinition<?>> domains() {
            return List.of(DomainDefinition.of(SCALE, LedgerState.class)
                    .initialState(id -> new LedgerState(List.of()))
                    .on(Reading.class, (state, r, ctx) -> state)
                    .build());
        }
    }
}
