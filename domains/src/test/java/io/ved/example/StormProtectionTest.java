package io.ved.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.ved.example.storm.Ping;
import io.ved.example.storm.Relay;
import io.ved.example.storm.StormDomains;
import io.ved.example.storm.Tally;
import io.ved.runtime.storm.Quarantine;
import io.ved.testkit.VedTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Storm protection stops a ping-pong loop within its repeat limit and leaves long legitimate chains alone. */
class StormProtectionTest {
    private VedTestKit kit;

    @BeforeEach
    void start() {
        kit = VedTestKit.of(StormDomains.TOPOLOGY, StormDomains.ping(), StormDomains.pong(), StormDomains.relay());
    }

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void anEndlessPingPongIsQuarantinedOnceItRepeatsMoreThanAllowed() {
        kit.send(StormDomains.PING.ref("1"), new Ping(0L));

        assertThat(kit.quarantined()).singleElement().satisfies(q -> {
            assertThat(q.reason()).isEqualTo(Quarantine.Reason.OSCILLATION);
            assertThat(q.repeats()).isEqualTo(6);
            assertThat(q.cycle()).isIn("PingDomain[1]:Ping -> PongDomain[1]:Pong", "PongDomain[1]:Pong -> PingDomain[1]:Ping");
            assertThat(q.detail()).contains("more than the 5 repeats allowed");
        });
        Tally ping = kit.stateOf(StormDomains.PING.ref("1"));
        Tally pong = kit.stateOf(StormDomains.PONG.ref("1"));
        assertThat(ping.getHandled() + pong.getHandled()).as("the loop went round 5 times, then stopped").isEqualTo(11);
    }

    @Test
    void aLongChainThatNeverRepeatsIsNotFlagged() {
        kit.send(StormDomains.RELAY.ref("0"), new Relay(50));

        assertThat(kit.quarantined()).isEmpty();
        Tally last = kit.stateOf(StormDomains.RELAY.ref("50"));
        assertThat(last.getHandled()).isEqualTo(1);
        assertThat(kit.sent()).hasSize(50);
        assertThat(kit.sent().getLast().hops()).isEqualTo(50);
    }

    @Test
    void aChainPastTheHopLimitIsQuarantinedAtTheLimit() {
        kit.send(StormDomains.RELAY.ref("0"), new Relay(100));

        assertThat(kit.quarantined()).singleElement().satisfies(q -> {
            assertThat(q.reason()).isEqualTo(Quarantine.Reason.HOP_LIMIT);
            assertThat(q.detail()).contains("65 sends from its root, past the hop limit of 64");
        });
        assertThat(kit.hasState(StormDomains.RELAY.ref("64"))).isTrue();
        assertThat(kit.hasState(StormDomains.RELAY.ref("65"))).isFalse();
    }
}
