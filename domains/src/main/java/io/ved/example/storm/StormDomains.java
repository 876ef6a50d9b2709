package io.ved.example.storm;

import io.ved.api.Context;
import io.ved.api.DomainDefinition;
import io.ved.api.DomainType;
import java.util.List;

/**
 * Domains that misbehave on purpose, for the storm demo and tests: a ping-pong pair that would bounce for
 * ever, a fan-out bomb, and a long relay chain that is legitimate and must not be stopped.
 */
public final class StormDomains {
    public static final DomainType PING = DomainType.named("PingDomain");
    public static final DomainType PONG = DomainType.named("PongDomain");
    public static final DomainType FAN_OUT = DomainType.named("FanOutDomain");
    public static final DomainType RELAY = DomainType.named("RelayDomain");
    public static final String TOPOLOGY = "ved/topology/storm.yaml";

    private StormDomains() {
    }

    public static List<DomainDefinition<?>> domains() {
        return List.of(ping(), pong(), fanOut(), relay());
    }

    public static DomainDefinition<Tally> ping() {
        return DomainDefinition.of(PING, Tally.class)
                .initialState(id -> new Tally(0L, 0L))
                .on(Ping.class, (tally, ping, ctx) -> {
                    ctx.send(PONG.ref(ctx.self().id()), new Pong(ping.getRally() + 1));
                    return counted(tally, ctx);
                })
                .sends(PONG, Pong.class)
                .build();
    }

    public static DomainDefinition<Tally> pong() {
        return DomainDefinition.of(PONG, Tally.class)
                .initialState(id -> new Tally(0L, 0L))
                .on(Pong.class, (tally, pong, ctx) -> {
                    ctx.send(PING.ref(ctx.self().id()), new Ping(pong.getRally() + 1));
                    return counted(tally, ctx);
                })
                .sends(PING, Ping.class)
                .build();
    }

    /** Each Burst of depth d sends width Bursts of depth d-1 to the instances "id.0" .. "id.(width-1)". */
    public static DomainDefinition<Tally> fanOut() {
        return DomainDefinition.of(FAN_OUT, Tally.class)
                .initialState(id -> new Tally(0L, 0L))
                .on(Burst.class, (tally, burst, ctx) -> {
                    if (burst.getDepth() > 0) {
                        for (int i = 0; i < burst.getWidth(); i++) {
                            ctx.send(FAN_OUT.ref(ctx.self().id() + "." + i), new Burst(burst.getWidth(), burst.getDepth() - 1));
                        }
                    }
                    return counted(tally, ctx);
                })
                .sends(FAN_OUT, Burst.class)
                .build();
    }

    /** RelayDomain[n] passes the relay to RelayDomain[n+1]: a chain of distinct instances, never a loop. */
    public static DomainDefinition<Tally> relay() {
        return DomainDefinition.of(RELAY, Tally.class)
                .initialState(id -> new Tally(0L, 0L))
                .on(Relay.class, (tally, relay, ctx) -> {
                    if (relay.getRemaining() > 0) {
                        long next = Long.parseLong(ctx.self().id()) + 1;
                        ctx.send(RELAY.ref(Long.toString(next)), new Relay(relay.getRemaining() - 1));
                    }
                    return counted(tally, ctx);
                })
                .sends(RELAY, Relay.class)
                .build();
    }

    private static Tally counted(Tally tally, Context ctx) {
        return new Tally(tally.getHandled() + 1, ctx.now().toEpochMilli());
    }
}
