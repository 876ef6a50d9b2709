package io.ved.tooling.demo;

import io.ved.runtime.VedRuntime;
import io.ved.runtime.KafkaVedSender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ved.api.DomainDefinition;
import io.ved.api.DomainRef;
import io.ved.api.VedSender;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.registry.HttpSchemaRegistry;
import io.ved.example.storm.Burst;
import io.ved.example.storm.Ping;
import io.ved.example.storm.Relay;
import io.ved.example.storm.StormDomains;
import io.ved.example.storm.Tally;
import io.ved.runtime.deadletter.DeadLetter;
import io.ved.runtime.storm.Quarantine;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileReader;
import io.ved.runtime.StateReader;
import io.ved.runtime.TopicReader;
import io.ved.tooling.lag.Quiescence;
import io.ved.tooling.storm.QuarantineStore;
import io.ved.tooling.storm.StormListing;
import io.ved.tooling.storm.StoredQuarantine;
import io.ved.runtime.TopicPlan;
import io.ved.tooling.topics.TopicReconciler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The scripted scenario of {@code ved demo storm}, against a broker and registry that are already up: runs the
 * storm example domains on {@code topology/storm.yaml}, starts a ping-pong loop, a fan-out bomb, a 50-hop relay
 * and some ordinary traffic at once, then shows storm protection at work: the loop quarantined within its repeat
 * limit, the fan-out throttled and drained with nothing lost, the relay passing, the ordinary traffic carrying on.
 */
public final class StormScenario {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(200);
    static final int BURST_WIDTH = 10;
    static final int BURST_DEPTH = 3;
    static final int RELAY_HOPS = 50;
    static final int ORDINARY_CHAINS = 20;
    static final int ORDINARY_HOPS = 3;
    private static final String[] COUNTERS = {"ved.messages.handled", "ved.messages.sent", "ved.messages.deferred",
            "ved.messages.quarantined", "ved.messages.dead.lettered"};

    private final String bootstrap;
    private final String registryUrl;
    private final Path stateDir;
    private final PrintWriter out;
    private final TopologyFile file;

    public StormScenario(String bootstrap, String registryUrl, Path stateDir, PrintWriter out) {
        this(bootstrap, registryUrl, stateDir, out, TopologyFileReader.readResource(StormDomains.TOPOLOGY));
    }

    /** The scenario on a given copy of the storm topology (tests give theirs their own topic names). */
    public StormScenario(String bootstrap, String registryUrl, Path stateDir, PrintWriter out, TopologyFile file) {
        this.bootstrap = bootstrap;
        this.registryUrl = registryUrl;
        this.stateDir = stateDir;
        this.out = out;
        this.file = file;
    }

    /** Messages the fan-out bomb makes in all: width^0 + width^1 + ... + width^depth. */
    static long burstTotal() {
        long total = 0;
        long level = 1;
        for (int d = 0; d <= BURST_DEPTH; d++) {
            total += level;
            level *= BURST_WIDTH;
        }
        return total;
    }

    /** Runs the scenario; returns true when the loop was stopped within its limit and everything else completed. */
    public boolean run() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Metrics.addRegistry(meters);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
             HttpSchemaRegistry registry = new HttpSchemaRegistry(registryUrl)) {
            new TopicReconciler(admin).apply(TopicPlan.topicsToCreate(file), List.of());
            DomainTopic fanOut = file.require(StormDomains.FAN_OUT);
            int maxRepeats = file.require(StormDomains.PING).policy().storm().maxRepeats();
            out.println("Topics created: " + file.domains().stream().map(DomainTopic::topic).toList() + ", storm topic "
                    + file.stormTopic());
            out.printf("Limits (%s): hop limit %d, a loop may repeat %d times; FanOutDomain: %s%n", StormDomains.TOPOLOGY,
                    file.require(StormDomains.RELAY).policy().storm().hopLimit(), maxRepeats, describe(fanOut));
            Outcome outcome;
            try (VedRuntime ved = VedRuntime.builder().topology(file).domains(StormDomains.domains()).bootstrapServers(bootstrap)
                    .schemaRegistry(registryUrl).stateDir(stateDir).streamsConfig("commit.interval.ms", 100).build()) {
                ved.start();
                if (!ved.awaitRunning(WAIT)) {
                    throw new IllegalStateException("the storm application did not start within " + WAIT);
                }
                out.println("Storm application running: PingDomain, PongDomain, FanOutDomain, RelayDomain (exactly_once_v2)");
                outcome = storm(admin, registry, meters);
            }
            return report(outcome, maxRepeats, meters);
        } finally {
            Metrics.removeRegistry(meters);
        }
    }

    /** What was measured while the storm ran. */
    private record Outcome(long sentAt, long loopStoppedAt, long ordinaryDoneAt, long relayDoneAt, long fanOutDoneAt,
                           Map<String, Tally> pings, Map<String, Tally> pongs, Map<String, Tally> fanOut,
                           Map<String, Tally> relays, List<StoredQuarantine> quarantined, List<DeadLetter> dead) {
    }

    private Outcome storm(Admin admin, HttpSchemaRegistry registry, SimpleMeterRegistry meters) throws Exception {
        StateReader states = new StateReader(bootstrap, new MessageCodec(registry));
        List<DomainRef> ordinaryEnds = new ArrayList<>();
        long sentAt;
        try (VedSender sender = KafkaVedSender.connect(bootstrap, registry, file, "/ved-demo-storm")) {
            out.println();
            out.println("Sending, all at once:");
            sentAt = System.nanoTime();
            sender.send(StormDomains.PING.ref("1"), new Ping(0L));
            out.printf("  %-58s send PingDomain[1] Ping(rally: 0)%n", "a ping-pong loop (each side answers the other, for ever)");
            sender.send(StormDomains.FAN_OUT.ref("x"), new Burst(BURST_WIDTH, BURST_DEPTH));
            out.printf("  %-58s send FanOutDomain[x] Burst(width: %d, depth: %d)%n",
                    "a fan-out bomb (" + burstTotal() + " messages over " + burstTotal() + " instances)", BURST_WIDTH, BURST_DEPTH);
            sender.send(StormDomains.RELAY.ref("0"), new Relay(RELAY_HOPS));
            out.printf("  %-58s send RelayDomain[0] Relay(remaining: %d)%n",
                    "a long legitimate chain (" + RELAY_HOPS + " hops, RelayDomain[0] .. [" + RELAY_HOPS + "])", RELAY_HOPS);
            for (int i = 0; i < ORDINARY_CHAINS; i++) {
                long start = 1000 + 10L * i;
                sender.send(StormDomains.RELAY.ref(Long.toString(start)), new Relay(ORDINARY_HOPS));
                ordinaryEnds.add(StormDomains.RELAY.ref(Long.toString(start + ORDINARY_HOPS)));
            }
            out.printf("  %-58s send RelayDomain[1000], [1010], .. [%d] Relay(remaining: %d)%n",
                    "ordinary traffic (" + ORDINARY_CHAINS + " short chains of " + ORDINARY_HOPS + " hops)",
                    1000 + 10 * (ORDINARY_CHAINS - 1), ORDINARY_HOPS);
            out.flush();
        }
        // Progress is followed on the runtime's own counters (cheap, in this process); the states are read from
        // the changelogs only to tell the ordinary chains from the long relay, and to check everything at the end.
        long burst = burstTotal();
        long relayMessages = RELAY_HOPS + 1 + (long) ORDINARY_CHAINS * (ORDINARY_HOPS + 1);
        long[] at = {-1, -1, -1, -1};
        double relaySeen = -1;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline && (at[0] < 0 || at[1] < 0 || at[2] < 0 || at[3] < 0)) {
            long now = System.nanoTime();
            if (at[0] < 0 && count(meters, "ved.messages.quarantined", StormDomains.PING.name())
                    + count(meters, "ved.messages.quarantined", StormDomains.PONG.name()) > 0) {
                at[0] = now;
            }
            if (at[3] < 0 && count(meters, "ved.messages.handled", StormDomains.FAN_OUT.name()) >= burst) {
                at[3] = now;
            }
            double relayHandled = count(meters, "ved.messages.handled", StormDomains.RELAY.name());
            if ((at[1] < 0 || at[2] < 0) && relayHandled != relaySeen) {
                relaySeen = relayHandled;
                Map<String, Tally> relays = states.states(file, relay(), WAIT);
                if (at[1] < 0 && ordinaryEnds.stream().allMatch(r -> handled(relays, r.id()) >= 1)) {
                    at[1] = now;
                }
                if (at[2] < 0 && handled(relays, Integer.toString(RELAY_HOPS)) >= 1) {
                    at[2] = now;
                }
                if (relayHandled >= relayMessages && (at[1] < 0 || at[2] < 0)) {
                    relaySeen = -1; // all handled but not yet in the changelog: read again
                }
            }
            Thread.sleep(POLL.toMillis());
        }
        // A loop that was not stopped would go on: give it time to show, then check nothing moves any more.
        Thread.sleep(2_000);
        Quiescence.await(admin, file.application(), file.domains().stream().map(DomainTopic::topic).toList(), WAIT);
        List<DeadLetter> dead = TopicReader.readAll(bootstrap, List.of(file.deadLetterTopic()), WAIT).stream()
                .map(r -> DeadLetter.from(r.key(), r.value(), r.headers())).toList();
        return new Outcome(sentAt, at[0], at[1], at[2], at[3], states.states(file, StormDomains.ping(), WAIT),
                states.states(file, StormDomains.pong(), WAIT), states.states(file, fanOutDefinition(), WAIT),
                states.states(file, relay(), WAIT), quarantined(), dead);
    }

    private boolean report(Outcome o, int maxRepeats, SimpleMeterRegistry meters) {
        out.println();
        out.println("What storm protection quarantined ('ved storms --topology topology/storm.yaml'):");
        for (String line : StormListing.table(o.quarantined(), List.of()).split("\n")) {
            out.println(line.isEmpty() ? "" : "  " + line);
        }
        boolean ok = true;

        out.println("1. The ping-pong loop");
        long loopHandled = handled(o.pings(), "1") + handled(o.pongs(), "1");
        List<StoredQuarantine> loops = o.quarantined().stream()
                .filter(q -> q.reason() == Quarantine.Reason.OSCILLATION && q.domains().contains(StormDomains.PING.name())).toList();
        if (loops.size() == 1) {
            StoredQuarantine q = loops.getFirst();
            int period = q.domains().size();
            long limit = (long) period * maxRepeats + 1;
            boolean within = q.quarantine().repeats() <= maxRepeats + 1 && loopHandled <= limit;
            out.printf("   stopped %s after the send, after %d handled messages (PingDomain[1] %d, PongDomain[1] %d): with the"
                            + " next message, %s to %s at hop %d, the %d-step cycle would repeat %d times, more than the %d"
                            + " allowed, so that message was quarantined instead of handled%n",
                    seconds(o.loopStoppedAt() - o.sentAt()), loopHandled, handled(o.pings(), "1"), handled(o.pongs(), "1"),
                    q.simpleMessageType(), q.target(), q.hops(), period, q.quarantine().repeats(), maxRepeats);
            out.println("   why: " + q.quarantine().detail());
            out.println(within ? "   -> stopped within the configured repeat count, and it stays stopped (nothing moved for 2 s after)"
                    : "   -> UNEXPECTED: the loop ran past " + limit + " handled messages");
            ok &= within;
        } else {
            out.println("   UNEXPECTED: " + loops.size() + " quarantined loop messages for PingDomain/PongDomain (expected 1); "
                    + loopHandled + " handled");
            ok = false;
        }

        out.println("2. The fan-out bomb");
        long fanOutHandled = total(o.fanOut());
        double deferred = count(meters, "ved.messages.deferred", StormDomains.FAN_OUT.name());
        boolean fanOutDone = fanOutHandled == burstTotal() && o.fanOut().size() == burstTotal() && o.fanOutDoneAt() > 0;
        out.printf("   %d of %d Bursts handled by %d instances, drained %s after the send; throttled on the way: %.0f"
                        + " deferred (ved.messages.deferred{domain=FanOutDomain}), each released as tokens refilled%n",
                fanOutHandled, burstTotal(), o.fanOut().size(), o.fanOutDoneAt() > 0 ? seconds(o.fanOutDoneAt() - o.sentAt()) : "not",
                deferred);
        out.printf("   (%s: at most %.0f handled per second per partition over %d partitions, so at least %.1f s for %d messages)%n",
                describe(file.require(StormDomains.FAN_OUT)), file.require(StormDomains.FAN_OUT).policy().throttle().handledPerType(),
                file.require(StormDomains.FAN_OUT).partitions(), minimumDrainSeconds(), burstTotal());
        out.println(fanOutDone && deferred > 0 ? "   -> throttled, then drained completely: nothing lost"
                : "   -> UNEXPECTED: " + (fanOutDone ? "nothing was deferred" : "not all Bursts were handled"));
        ok &= fanOutDone && deferred > 0;

        out.println("3. The 50-hop relay");
        boolean relayFlagged = o.quarantined().stream().anyMatch(q -> q.quarantine().domain().equals(StormDomains.RELAY.name()));
        boolean relayDone = true;
        for (int i = 0; i <= RELAY_HOPS; i++) {
            relayDone &= handled(o.relays(), Integer.toString(i)) == 1;
        }
        out.printf("   RelayDomain[0] .. RelayDomain[%d] each handled it once, %s after the send; a long chain that never"
                + " comes back to the same instance is no loop, and %d hops are within the hop limit%n", RELAY_HOPS,
                o.relayDoneAt() > 0 ? seconds(o.relayDoneAt() - o.sentAt()) : "never", RELAY_HOPS);
        out.println(relayDone && !relayFlagged ? "   -> passed, not flagged" : "   -> UNEXPECTED: " + (relayFlagged ? "flagged" : "incomplete"));
        ok &= relayDone && !relayFlagged;

        out.println("4. Ordinary traffic");
        boolean ordinaryDone = o.ordinaryDoneAt() > 0;
        out.printf("   %d chains of %d hops each: all done %s after the send%s%n", ORDINARY_CHAINS, ORDINARY_HOPS,
                ordinaryDone ? seconds(o.ordinaryDoneAt() - o.sentAt()) : "NOT",
                ordinaryDone && o.fanOutDoneAt() > o.ordinaryDoneAt() ? ", while the fan-out was still draining" : "");
        out.println("   dead letters: " + (o.dead().isEmpty() ? "none" : o.dead().size()));
        out.println(ordinaryDone && o.dead().isEmpty() ? "   -> the rest of the system carried on" : "   -> UNEXPECTED");
        ok &= ordinaryDone && o.dead().isEmpty();
        boolean onlyTheLoop = o.quarantined().size() == 1;
        if (!onlyTheLoop) {
            out.println("UNEXPECTED: " + o.quarantined().size() + " messages quarantined (expected only the loop's one)");
        }
        ok &= onlyTheLoop;

        out.println();
        out.println("Metrics (Micrometer, Metrics.globalRegistry):");
        out.printf("  %-14s %9s %9s %9s %12s %14s%n", "domain", "handled", "sent", "deferred", "quarantined", "dead.lettered");
        for (DomainTopic d : file.domains()) {
            out.printf("  %-14s", d.type().name());
            for (int i = 0; i < COUNTERS.length; i++) {
                out.printf(" %" + new int[] {9, 9, 9, 12, 14}[i] + ".0f", count(meters, COUNTERS[i], d.type().name()));
            }
            out.println();
        }
        out.flush();
        return ok;
    }

    private List<StoredQuarantine> quarantined() {
        try {
            return QuarantineStore.read(bootstrap, file.stormTopic(), WAIT).all();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private double minimumDrainSeconds() {
        DomainTopic d = file.require(StormDomains.FAN_OUT);
        double perSecond = d.policy().throttle().handledPerType() * d.partitions();
        return perSecond <= 0 ? 0 : Math.max(0, burstTotal() - d.policy().throttle().burst() * d.partitions()) / perSecond;
    }

    private static String describe(DomainTopic d) {
        var t = d.policy().throttle();
        List<String> parts = new ArrayList<>();
        if (t.sentPerInstance() > 0) {
            parts.add("sentPerInstance " + fmt(t.sentPerInstance()));
        }
        if (t.handledPerInstance() > 0) {
            parts.add("handledPerInstance " + fmt(t.handledPerInstance()));
        }
        if (t.handledPerType() > 0) {
            parts.add("handledPerType " + fmt(t.handledPerType()));
        }
        parts.add("burst " + t.burst());
        return "throttle " + String.join(", ", parts);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static double count(SimpleMeterRegistry meters, String name, String domain) {
        Counter counter = meters.find(name).tag("domain", domain).counter();
        return counter == null ? 0 : counter.count();
    }

    private static DomainDefinition<Tally> relay() {
        return StormDomains.relay();
    }

    private static DomainDefinition<Tally> fanOutDefinition() {
        return StormDomains.fanOut();
    }

    private static long handled(Map<String, Tally> states, String id) {
        Tally t = states.get(id);
        return t == null ? 0 : t.getHandled();
    }

    private static long total(Map<String, Tally> states) {
        return states.values().stream().mapToLong(Tally::getHandled).sum();
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
