package io.ved.it;

import io.ved.runtime.KafkaVedSender;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ved.api.Sent;
import io.ved.api.VedSender;
import io.ved.cli.VedCli;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.example.storm.Ping;
import io.ved.example.storm.Relay;
import io.ved.example.storm.StormDomains;
import io.ved.example.storm.Tally;
import io.ved.runtime.storm.Quarantine;
import io.ved.runtime.storm.Trail;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.TopicReader;
import io.ved.tooling.storm.QuarantineStore;
import io.ved.tooling.storm.StoredQuarantine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storm protection on the real broker, with the storm example domains: an endless ping-pong is stopped within its
 * repeat limit and stays stopped; a 50-hop chain that never repeats passes; and the storm tools list the
 * quarantined loop and release it as a new start, which the runtime then stops again after the same count.
 */
class StormIT {
    private static final Pattern RELEASED = Pattern.compile("(?m)^(\\S+)\\s+released .*\\n\\s+new message id: (\\S+)$");
    @TempDir
    static Path dir;
    private static RealStack stack;
    private static RunningApp app;
    private static TopologyFile topology;
    private static VedSender sender;
    private static int maxRepeats;

    @BeforeAll
    static void start() throws Exception {
        stack = RealStack.get();
        topology = TestTopologies.unique(StormDomains.TOPOLOGY, "storm");
        maxRepeats = topology.require(StormDomains.PING).policy().storm().maxRepeats();
        app = new RunningApp(stack, topology, StormDomains.domains());
        app.start(dir.resolve("state"));
        sender = KafkaVedSender.connect(stack.bootstrap(), app.registry(), topology, "/storm-it");
    }

    @AfterAll
    static void stop() {
        sender.close();
        app.close();
    }

    @Test
    void anUnboundedPingPongIsStoppedWithinTheConfiguredRepeatCount() throws Exception {
        Sent sent = sender.send(StormDomains.PING.ref("pp"), new Ping(0L));

        StoredQuarantine stopped = awaitQuarantined(sent.correlationId().value(), 1).getFirst();
        assertThat(stopped.reason()).isEqualTo(Quarantine.Reason.OSCILLATION);
        assertThat(stopped.quarantine().repeats()).isEqualTo(maxRepeats + 1);
        assertThat(stopped.group()).isEqualTo("PingDomain[pp]:Ping -> PongDomain[pp]:Pong");
        assertThat(stopped.quarantine().detail()).contains("more than the " + maxRepeats + " repeats allowed");

        Thread.sleep(2_000);
        app.awaitQuiet();
        long handled = handled("pp");
        assertThat(handled).as("a 2-step loop may go round %d times, plus the first message", maxRepeats)
                .isEqualTo(2L * maxRepeats + 1);
        assertThat(quarantinedIn(sent.correlationId().value())).as("stopped once, and it stays stopped").hasSize(1);
    }

    @Test
    void aLongAcyclicChainOf50HopsIsNotFlagged() throws Exception {
        Sent sent = sender.send(StormDomains.RELAY.ref("0"), new Relay(50));

        await().atMost(RunningApp.WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> app.states(StormDomains.relay()).containsKey("50"));
        app.awaitQuiet();
        Map<String, Tally> relays = app.states(StormDomains.relay());
        for (int i = 0; i <= 50; i++) {
            assertThat(relays.get(Integer.toString(i))).as("RelayDomain[%d]", i).isNotNull()
                    .satisfies(t -> assertThat(t.getHandled()).isEqualTo(1));
        }
        assertThat(relays).doesNotContainKey("51");
        assertThat(quarantinedIn(sent.correlationId().value())).isEmpty();
        List<ConsumerRecord<byte[], byte[]>> chain = TopicReader.readAll(stack.bootstrap(),
                List.of(topology.require(StormDomains.RELAY).topic()), RunningApp.WAIT).stream()
                .filter(r -> EnvelopeHeaders.text(r.headers(), EnvelopeHeaders.CORRELATION_ID).orElse("").equals(sent.correlationId().value()))
                .toList();
        assertThat(chain).hasSize(51);
        assertThat(chain.stream().mapToInt(r -> Integer.parseInt(EnvelopeHeaders.text(r.headers(), EnvelopeHeaders.HOPS).orElseThrow())).max())
                .hasValue(50);
    }

    @Test
    void stormsListsTheLoopAndReleaseReinjectsItAsANewStart() throws Exception {
        String[] options = {"--bootstrap", stack.bootstrap(), "--registry", stack.registryUrl(),
                "--topology", TopologyYaml.write(topology, dir.resolve("storm.yaml")).toString()};
        Sent sent = sender.send(StormDomains.PING.ref("rt"), new Ping(0L));
        String correlation = sent.correlationId().value();
        StoredQuarantine stopped = awaitQuarantined(correlation, 1).getFirst();
        String id = stopped.id().toString();

        CliRun table = CliRun.of(concat(new String[] {"storms", "--cycle", "PingDomain[rt]"}, options));
        assertThat(table.exit()).as(table.toString()).isZero();
        assertThat(table.out()).as(table.toString())
                .startsWith("LOOP 1  PingDomain[rt]:Ping -> PongDomain[rt]:Pong\n")
                .contains("  quarantined:    1 message in 1 correlation\n")
                .contains("  domains:        PingDomain, PongDomain\n")
                .contains("  message types:  Ping, Pong\n")
                .contains("  correlations:   " + correlation + "\n")
                .containsPattern("(?m)^  " + id + "\\s+\\S+\\s+" + Pattern.quote(stopped.target()) + "\\s+(Ping|Pong)\\s+11\\s+" + correlation + "$")
                .endsWith("1 quarantined message: 1 in 1 loop (OSCILLATION)\n");
        JsonNode json = new ObjectMapper().readTree(CliRun.of(concat(new String[] {"storms", "--json"}, options)).out());
        JsonNode group = null;
        for (JsonNode g : json.get("groups")) {
            if (g.get("cycle").asText().equals("PingDomain[rt]:Ping -> PongDomain[rt]:Pong")) {
                group = g;
            }
        }
        assertThat(group).as(json.toPrettyString()).isNotNull();
        assertThat(group.get("count").asInt()).isEqualTo(1);
        assertThat(group.get("messages").get(0).get("id").asText()).isEqualTo(id);
        assertThat(group.get("messages").get(0).get("messageId").asText()).isEqualTo(stopped.messageId().orElseThrow().value());

        CliRun missing = CliRun.of(concat(new String[] {"storms", "release", "0-99999"}, options));
        assertThat(missing.exit()).as(missing.toString()).isEqualTo(VedCli.USAGE_ERROR);
        assertThat(missing.err()).contains("no quarantined message 0-99999 in " + topology.stormTopic() + ": 'ved storms' shows the ids; nothing was sent");
        CliRun none = CliRun.of(concat(new String[] {"storms", "release", "--all", "--cycle", "NoSuchDomain"}, options));
        assertThat(none.out()).isEqualTo("no quarantined messages in a loop matching 'NoSuchDomain'\n");

        long before = handled("rt");
        assertThat(before).isEqualTo(2L * maxRepeats + 1);
        CliRun released = CliRun.of(concat(new String[] {"storms", "release", id}, options));
        assertThat(released.exit()).as(released.toString()).isZero();
        assertThat(released.out()).contains("1 of 1 released.").contains("correlation id: " + correlation)
                .contains("causation id:   " + stopped.messageId().orElseThrow().value());
        Matcher m = RELEASED.matcher(released.out());
        assertThat(m.find()).as(released.out()).isTrue();
        assertThat(m.group(1)).isEqualTo(id);
        String newId = m.group(2);

        // on the wire: the original bytes, a new id, the same correlation, caused by the quarantined message, a new start
        ConsumerRecord<byte[], byte[]> again = TopicReader.readAll(stack.bootstrap(), List.of(stopped.quarantine().topic()),
                RunningApp.WAIT).stream().filter(r -> EnvelopeHeaders.text(r.headers(), EnvelopeHeaders.ID).orElse("").equals(newId))
                .findFirst().orElseThrow();
        assertThat(again.value()).isEqualTo(stopped.quarantine().value());
        assertThat(again.key()).isEqualTo(stopped.quarantine().key());
        assertThat(text(again, EnvelopeHeaders.CORRELATION_ID)).isEqualTo(correlation);
        assertThat(text(again, EnvelopeHeaders.CAUSATION_ID)).isEqualTo(stopped.messageId().orElseThrow().value());
        assertThat(text(again, EnvelopeHeaders.HOPS)).isEqualTo("0");
        for (Header h : again.headers()) {
            assertThat(h.key()).isNotIn(Trail.HASHES_HEADER, Trail.NAMES_HEADER).doesNotStartWith("ved_storm_");
        }

        // the loop is not fixed, so the released message loops again and is stopped again after the same count
        List<StoredQuarantine> twice = awaitQuarantined(correlation, 2);
        assertThat(twice.get(1).hops()).as("hops counted from the release").isEqualTo(stopped.hops());
        Thread.sleep(2_000);
        app.awaitQuiet();
        assertThat(handled("rt") - before).as("the released message started the loop again: handled, then %d more", 2 * maxRepeats)
                .isEqualTo(2L * maxRepeats + 1);
    }

    private static long handled(String id) throws Exception {
        Tally ping = app.states(StormDomains.ping()).get(id);
        Tally pong = app.states(StormDomains.pong()).get(id);
        return (ping == null ? 0 : ping.getHandled()) + (pong == null ? 0 : pong.getHandled());
    }

    private static List<StoredQuarantine> awaitQuarantined(String correlation, int count) {
        await().atMost(RunningApp.WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> quarantinedIn(correlation).size() >= count);
        try {
            return quarantinedIn(correlation);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<StoredQuarantine> quarantinedIn(String correlation) throws Exception {
        return QuarantineStore.read(stack.bootstrap(), topology.stormTopic(), RunningApp.WAIT).all().stream()
                .filter(q -> q.correlationId().orElse("").equals(correlation)).toList();
    }

    private static String text(ConsumerRecord<byte[], byte[]> record, String header) {
        return EnvelopeHeaders.text(record.headers(), header).orElse(null);
    }

    private static String[] concat(String[] command, String[] options) {
        String[] all = new String[command.length + options.length];
        System.arraycopy(command, 0, all, 0, command.length);
        System.arraycopy(options, 0, all, command.length, options.length);
        return all;
    }
}
