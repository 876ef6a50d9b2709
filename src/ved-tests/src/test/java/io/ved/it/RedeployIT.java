package io.ved.it;

import io.ved.runtime.KafkaVedSender;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ved.api.DomainDefinition;
import io.ved.api.VedSender;
import io.ved.runtime.deadletter.DeadLetter;
import io.ved.runtime.deadletter.DeadLetterReason;
import io.ved.runtime.storm.ThrottlePolicy;
import io.ved.runtime.topology.DomainPolicy;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.lag.DeferredDepths;
import java.util.Map;
import io.ved.testdomains.Append;
import io.ved.testdomains.Flaky;
import io.ved.testdomains.FlakyDomain;
import io.ved.testdomains.LedgerState;
import io.ved.testdomains.ReminderDomain;
import io.ved.testdomains.timers.Remind;
import io.ved.testdomains.timers.Reminders;
import io.ved.runtime.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Due work left by one version that the next no longer accepts: a message waiting in a retry queue and a timer
 * pending, both of message types the new version dropped. The new version starts, dead-letters both with the reason
 * when they fall due, and keeps running.
 */
class RedeployIT {

    /** Version 2 of FlakyDomain: it takes Append now, no longer Flaky. */
    private static DomainDefinition<LedgerState> flakyV2() {
        return DomainDefinition.of(FlakyDomain.FLAKY, LedgerState.class)
                .initialState(id -> new LedgerState(List.of()))
                .on(Append.class, (state, m, ctx) -> {
                    List<Long> entries = new ArrayList<>(state.getEntries());
                    entries.add(m.getSeq());
                    return new LedgerState(entries);
                })
                .build();
    }

    /** Version 2 of ReminderDomain: it no longer takes its own Fire timers. */
    private static DomainDefinition<Reminders> reminderV2() {
        return DomainDefinition.of(ReminderDomain.REMINDER, Reminders.class)
                .initialState(id -> new Reminders(List.of(), List.of(), null))
                .on(Remind.class, (state, remind, ctx) -> state)
                .build();
    }

    @Test
    void queuedMessagesAndTimersTheNewVersionNoLongerAcceptsBecomeDeadLetters(@TempDir Path stateDir) throws Exception {
        RealStack stack = RealStack.get();
        FlakyDomain.reset();
        TopologyFile topology = TestTopologies.unique("topology/redeploy.yaml", "redeploy");
        try (RunningApp v1 = new RunningApp(stack, topology, List.of(FlakyDomain.flaky(), ReminderDomain.definition()))) {
            v1.start(stateDir);
            try (VedSender sender = KafkaVedSender.connect(stack.bootstrap(), v1.registry(), topology, "/redeploy-it")) {
                sender.send(FlakyDomain.FLAKY.ref("queued"), new Flaky(1L, 100, 0L, 0L)); // fails: waits 6 s to retry
                sender.send(ReminderDomain.REMINDER.ref("timed"), new Remind("later", 6_000L, false)); // a timer in 6 s
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> FlakyDomain.attempts("queued", 1L) == 1
                    && v1.states(ReminderDomain.definition()).containsKey("timed"));
        }
        try (RunningApp v2 = new RunningApp(stack, topology, List.of(flakyV2(), reminderV2()))) {
            v2.start(stateDir);
            List<DeadLetter> dead = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> deadLetters(stack, topology), d -> d.size() >= 2);
            assertThat(dead).extracting(DeadLetter::reason).containsOnly(DeadLetterReason.UNKNOWN_MESSAGE_TYPE);
            assertThat(dead).anySatisfy(d -> {
                assertThat(d.domain()).isEqualTo("FlakyDomain");
                assertThat(d.error()).contains("does not accept io.ved.testdomains.Flaky");
                assertThat(d.attempts()).as("it had failed once under version 1").isEqualTo(1);
            });
            assertThat(dead).anySatisfy(d -> {
                assertThat(d.domain()).isEqualTo("ReminderDomain");
                assertThat(d.error()).contains("does not accept io.ved.testdomains.timers.Fire");
            });

            try (VedSender sender = KafkaVedSender.connect(stack.bootstrap(), v2.registry(), topology, "/redeploy-it")) {
                sender.send(FlakyDomain.FLAKY.ref("queued"), new Append(7L, false, null));
            }
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                LedgerState queued = v2.states(flakyV2()).get("queued");
                assertThat(queued).as("the state of FlakyDomain[queued]").isNotNull();
                assertThat(queued.getEntries()).containsExactly(7L);
            });
            assertThat(v2.isRunning()).isTrue();
        }
    }

    @Test
    void turningAThrottleOffInARedeployReleasesWhatItHeldInOrder(@TempDir Path stateDir) throws Exception {
        RealStack stack = RealStack.get();
        FlakyDomain.reset();
        TopologyFile throttled = TestTopologies.unique("topology/throttled.yaml", "limit-off");
        TopologyFile unthrottled = new TopologyFile(throttled.application(), throttled.deadLetterTopic(),
                throttled.replyTopic(), throttled.traceTopic(), throttled.stormTopic(),
                throttled.domains().stream().map(d -> new DomainTopic(d.type(), d.topic(), d.partitions(),
                        d.replicationFactor(), d.retentionMs(), withoutThrottle(d.policy()))).toList());
        try (RunningApp v1 = new RunningApp(stack, throttled, List.of(FlakyDomain.flaky()))) {
            v1.start(stateDir);
            try (VedSender sender = KafkaVedSender.connect(stack.bootstrap(), v1.registry(), throttled, "/limit-off-it")) {
                for (long seq = 1; seq <= 5; seq++) {
                    sender.send(FlakyDomain.FLAKY.ref("held"), new Flaky(seq, 0, 0L, 0L)); // one per 20 s
                }
            }
            try (DeferredDepths depths = DeferredDepths.connect(stack.bootstrap(), throttled.depthTopic())) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                        depths.latest().getOrDefault(throttled.require(FlakyDomain.FLAKY).topic(), Map.of())
                                .values().stream().mapToLong(Long::longValue).sum() == 4);
            }
            assertThat(v1.states(FlakyDomain.flaky()).get("held").getEntries()).containsExactly(1L);
        }
        try (RunningApp v2 = new RunningApp(stack, unthrottled, List.of(FlakyDomain.flaky()))) {
            long started = System.nanoTime();
            v2.start(stateDir);
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(v2.states(FlakyDomain.flaky()).get("held").getEntries()).containsExactly(1L, 2L, 3L, 4L, 5L));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("released, not waiting out the old rate (80 s)")
                    .isLessThan(Duration.ofSeconds(60));
        }
    }

    private static DomainPolicy withoutThrottle(DomainPolicy p) {
        return new DomainPolicy(p.retry(), p.handlerTimeout(), p.handlerThread(), p.trace(), p.storm(), ThrottlePolicy.NONE,
                p.deferred());
    }

    private static List<DeadLetter> deadLetters(RealStack stack, TopologyFile topology) throws Exception {
        return TopicReader.readAll(stack.bootstrap(), List.of(topology.deadLetterTopic()), Duration.ofSeconds(30)).stream()
                .map(r -> DeadLetter.from(r.key(), r.value(), r.headers())).toList();
    }
}
