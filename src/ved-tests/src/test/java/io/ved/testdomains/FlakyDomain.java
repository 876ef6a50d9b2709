package io.ved.testdomains;

import io.ved.api.DomainDefinition;
import io.ved.api.DomainType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test domain whose handler fails a chosen number of times per message before it succeeds, and can be
 * made slow. The attempt counts live outside the domain on purpose: they stand for a flaky world.
 */
public final class FlakyDomain {
    public static final DomainType FLAKY = DomainType.named("FlakyDomain");
    public static final DomainType ONCE = DomainType.named("OnceDomain");
    private static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();
    private static volatile boolean endlessReleased;

    private FlakyDomain() {
    }

    public static void reset() {
        ATTEMPTS.clear();
    }

    /** Lets the handlers looping for a message with {@code spinMs < 0} return, so a test leaves no thread behind. */
    public static void releaseEndless() {
        endlessReleased = true;
    }

    /** From now on a message with {@code spinMs < 0} loops again until {@link #releaseEndless()}. */
    public static void holdEndless() {
        endlessReleased = false;
    }

    /** For {@code ved run --domains io.ved.testdomains.FlakyDomain}. */
    public static List<DomainDefinition<?>> domains() {
        return List.of(flaky());
    }

    /** How many times the handler ran for this instance and seq. */
    public static int attempts(String id, long seq) {
        AtomicInteger n = ATTEMPTS.get(id + "/" + seq);
        return n == null ? 0 : n.get();
    }

    public static DomainDefinition<LedgerState> flaky() {
        return define(FLAKY);
    }

    public static DomainDefinition<LedgerState> once() {
        return define(ONCE);
    }

    private static DomainDefinition<LedgerState> define(DomainType type) {
        return DomainDefinition.of(type, LedgerState.class)
                .initialState(id -> new LedgerState(List.of()))
                .on(Flaky.class, (state, m, ctx) -> {
                    int attempt = ATTEMPTS.computeIfAbsent(ctx.self().id() + "/" + m.getSeq(), k -> new AtomicInteger())
                            .incrementAndGet();
                    if (m.getSleepMs() > 0) {
                        try {
                            Thread.sleep(m.getSleepMs());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException("interrupted");
                        }
                    }
                    if (m.getSpinMs() < 0) {
                        loopDeafToInterrupts();
                    }
                    long spinUntil = System.nanoTime() + m.getSpinMs() * 1_000_000;
                    while (System.nanoTime() < spinUntil) {
                        Thread.onSpinWait(); // a long computation that never looks at its interrupt
                    }
                    if (m.getFailures() < 0) {
                        throw new AssertionError("flaky handler asserted (failures < 0 means: throw an Error)");
                    }
                    if (attempt <= m.getFailures()) {
                        throw new IllegalStateException("flaky failure " + attempt + " of " + m.getFailures());
                    }
                    List<Long> entries = new ArrayList<>(state.getEntries());
                    entries.add(m.getSeq());
                    return new LedgerState(entries);
                })
                .build();
    }

    /** An endless loop as far as the runtime can tell: it never returns to it, whatever the interrupts. */
    private static void loopDeafToInterrupts() {
        while (!endlessReleased) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException deaf) {
                // ignored on purpose
            }
        }
    }
}
