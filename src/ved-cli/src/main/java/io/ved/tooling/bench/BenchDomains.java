package io.ved.tooling.bench;

import io.ved.api.DomainDefinition;
import io.ved.api.DomainType;
import io.ved.tooling.bench.model.BenchMessage;
import io.ved.tooling.bench.model.BenchState;
import java.util.List;

/**
 * The domains {@code ved bench} measures. {@code CounterDomain} does what the bare Kafka Streams variant does:
 * per key, read the state, count the message, write the state back. {@code RelayDomain} does the same and sends
 * the message on to {@code SinkDomain[same id]}, a type that is listed in the topology file but run by no
 * application in the benchmark, so the send is produced to its inbox and observed there.
 *
 * <p>{@link #domains()} lists the counter alone, for {@code ved run --domains io.ved.tooling.bench.BenchDomains}
 * (the recovery measurement runs the application as a child process that way).
 */
public final class BenchDomains {
    public static final DomainType COUNTER = DomainType.named("CounterDomain");
    public static final DomainType RELAY = DomainType.named("RelayDomain");
    public static final DomainType SINK = DomainType.named("SinkDomain");

    private BenchDomains() {
    }

    /** For {@code ved run --domains}: the counter domain. */
    public static List<DomainDefinition<?>> domains() {
        return List.of(counter());
    }

    public static DomainDefinition<BenchState> counter() {
        return DomainDefinition.of(COUNTER, BenchState.class)
                .initialState(id -> new BenchState(0L, -1L))
                .on(BenchMessage.class, (state, message, ctx) -> new BenchState(state.getCount() + 1, message.getSeq()))
                .build();
    }

    public static DomainDefinition<BenchState> relay() {
        return DomainDefinition.of(RELAY, BenchState.class)
                .initialState(id -> new BenchState(0L, -1L))
                .on(BenchMessage.class, (state, message, ctx) -> {
                    ctx.send(SINK.ref(ctx.self().id()), message);
                    return new BenchState(state.getCount() + 1, message.getSeq());
                })
                .sends(SINK, BenchMessage.class)
                .build();
    }
}
