package io.ved.it;

import io.ved.runtime.KafkaVedSender;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ved.api.DomainRef;
import io.ved.api.VedSender;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.runtime.topology.TopologyFile;
import io.ved.testdomains.Append;
import io.ved.testdomains.Flaky;
import io.ved.testdomains.FlakyDomain;
import io.ved.testdomains.LedgerDomain;
import io.ved.testdomains.LedgerState;
import io.ved.testdomains.ReminderDomain;
import io.ved.testdomains.timers.Remind;
import io.ved.testdomains.timers.Reminders;
import io.ved.runtime.TopicReader;
import io.ved.tooling.stack.StackFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throttling and durable timers on the real broker (topology/timers.yaml): messages over a rate are deferred and
 * released in order with nothing lost, also across a stop with the local state wiped; sends over a sender's rate
 * wait in its outbox; and a timer fires once, after its delay, even when the application was stopped and its
 * local state wiped before it was due.
 */
class ThrottleAndTimerIT {
    @TempDir
    Path dir;
    private RealStack stack;
    private TopologyFile topology;
    private RunningApp app;
    private VedSender sender;
    private SimpleMeterRegistry meters;

    @BeforeEach
    void start() throws Exception {
        FlakyDomain.reset();
        meters = new SimpleMeterRegistry();
        Metrics.addRegistry(meters);
        stack = RealStack.get();
        topology = TestTopologies.unique("topology/timers.yaml", "throttle");
        app = new RunningApp(stack, topology, List.of(ReminderDomain.definition(), FlakyDomain.flaky(),
                LedgerDomain.ledger(), LedgerDomain.audit()));
        app.start(dir.resolve("state-1"));
        sender = KafkaVedSender.connect(stack.bootstrap(), app.registry(), topology, "/throttle-it");
    }

    @AfterEach
    void stop() {
        sender.close();
        app.close();
        Metrics.removeRegistry(meters);
    }

    @Test
    void messagesOverTheRateAreDeferredThenReleasedInOrderWithNothingLost() throws Exception {
        // FlakyDomain: handledPerInstance 10/s, burst 2. LedgerDomain: sentPerInstance 5/s, burst 1.
        DomainRef busy = FlakyDomain.FLAKY.ref("busy");
        DomainRef chatty = LedgerDomain.LEDGER.ref("chatty");
        DomainRef sink = LedgerDomain.AUDIT.ref("sink");
        long started = System.nanoTime();
        for (long seq = 1; seq <= 30; seq++) {
            sender.send(busy, new Flaky(seq, 0, 0L, 0L));
        }
        for (long seq = 1; seq <= 15; seq++) {
            sender.send(chatty, new Append(seq, false, sink.toString()));
        }

        await().atMost(RunningApp.WAIT).pollInterval(Duration.ofMillis(250)).until(() ->
                entries(FlakyDomain.flaky(), "busy").size() == 30 && entries(LedgerDomain.audit(), "sink").size() == 15);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        app.awaitQuiet();

        assertThat(entries(FlakyDomain.flaky(), "busy")).containsExactlyElementsOf(LongStream.rangeClosed(1, 30).boxed().toList());
        assertThat(entries(LedgerDomain.ledger(), "chatty")).as("handling the sender is not limited")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 15).boxed().toList());
        assertThat(entries(LedgerDomain.audit(), "sink")).as("its sends, held in its outbox, arrive in order")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 15).boxed().toList());
        assertThat(count("ved.messages.deferred", "FlakyDomain")).as("messages were deferred").isGreaterThan(0);
        assertThat(took).as("30 messages at 10/s (burst 2) and 15 sends at 5/s (burst 1) cannot go faster")
                .isGreaterThanOrEqualTo(Duration.ofMillis(2_500));
        assertThat(deadLetters()).isEmpty();
        for (long seq = 1; seq <= 30; seq++) {
            assertThat(FlakyDomain.attempts("busy", seq)).as("seq %d handled once", seq).isEqualTo(1);
        }
    }

    @Test
    void deferredMessagesSurviveAStopWithTheLocalStateWiped() throws Exception {
        DomainRef busy = FlakyDomain.FLAKY.ref("crash");
        for (long seq = 1; seq <= 40; seq++) {
            sender.send(busy, new Flaky(seq, 0, 0L, 0L));
        }
        await().atMost(RunningApp.WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> !entries(FlakyDomain.flaky(), "crash").isEmpty());
        app.stop();
        int before = entries(FlakyDomain.flaky(), "crash").size();
        assertThat(before).as("stopped while messages were still deferred").isBetween(1, 39);
        StackFile.deleteTree(dir.resolve("state-1"));

        app.start(dir.resolve("state-2"));
        await().atMost(RunningApp.WAIT).pollInterval(Duration.ofMillis(250))
                .until(() -> entries(FlakyDomain.flaky(), "crash").size() >= 40);
        app.awaitQuiet();
        Thread.sleep(1_000);
        assertThat(entries(FlakyDomain.flaky(), "crash")).as("nothing lost, nothing twice, in order")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 40).boxed().toList());
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void aTimerFiresOnceEvenWhenTheAppIsStoppedAndItsStateWipedBeforeItIsDue() throws Exception {
        DomainRef r = ReminderDomain.REMINDER.ref("durable");
        Duration delay = Duration.ofSeconds(15);
        var sent = sender.send(r, new Remind("tea", delay.toMillis(), false));
        await().atMost(RunningApp.WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> app.states(ReminderDomain.definition()).containsKey("durable"));
        app.stop();
        Reminders scheduled = app.states(ReminderDomain.definition()).get("durable");
        assertThat(scheduled.getLastTimer()).as("the timer was scheduled").isNotNull();
        assertThat(scheduled.getFired()).as("stopped before the timer was due (raise the delay on a slow machine)").isEmpty();
        StackFile.deleteTree(dir.resolve("state-1"));
        long remindAt = remindTime(sent.id().value());

        // Let it fall due while nothing runs, then start on empty local state: the timer comes back from the changelog.
        long dueIn = remindAt + delay.toMillis() - System.currentTimeMillis();
        if (dueIn > 0) {
            Thread.sleep(dueIn + 500);
        }
        app.start(dir.resolve("state-2"));
        await().atMost(RunningApp.WAIT).pollInterval(Duration.ofMillis(250))
                .until(() -> !app.states(ReminderDomain.definition()).get("durable").getFired().isEmpty());
        Thread.sleep(3_000);
        app.awaitQuiet();
        Reminders fired = app.states(ReminderDomain.definition()).get("durable");
        assertThat(fired.getFired()).as("fired exactly once").containsExactly("tea");
        assertThat(fired.getFiredAt()).as("the receiver's now() is the due time").containsExactly(remindAt + delay.toMillis());
        long fires = TopicReader.readAll(stack.bootstrap(), List.of(topology.require(ReminderDomain.REMINDER).topic()), RunningApp.WAIT)
                .stream().filter(rec -> EnvelopeHeaders.text(rec.headers(), EnvelopeHeaders.TYPE).orElse("").endsWith(".Fire")).count();
        assertThat(fires).as("one Fire message on the wire").isEqualTo(1);
    }

    /** The message time of the Remind, which the delay counts from. */
    private long remindTime(String messageId) throws Exception {
        return TopicReader.readAll(stack.bootstrap(), List.of(topology.require(ReminderDomain.REMINDER).topic()), RunningApp.WAIT)
                .stream().filter(rec -> EnvelopeHeaders.text(rec.headers(), EnvelopeHeaders.ID).orElse("").equals(messageId))
                .map(rec -> java.time.Instant.parse(EnvelopeHeaders.text(rec.headers(), EnvelopeHeaders.TIME).orElseThrow()).toEpochMilli())
                .findFirst().orElseThrow();
    }

    private List<Long> entries(io.ved.api.DomainDefinition<LedgerState> domain, String id) throws Exception {
        LedgerState state = app.states(domain).get(id);
        return state == null ? List.of() : state.getEntries();
    }

    private double count(String name, String domain) {
        Counter c = meters.find(name).tag("domain", domain).counter();
        return c == null ? 0 : c.count();
    }

    private List<?> deadLetters() throws Exception {
        return TopicReader.readAll(stack.bootstrap(), List.of(topology.deadLetterTopic()), RunningApp.WAIT);
    }
}
