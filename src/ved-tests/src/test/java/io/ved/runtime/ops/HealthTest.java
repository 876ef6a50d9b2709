package io.ved.runtime.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

/** Liveness and readiness, state by state: what restarts a pod, what only takes it out of service. */
class HealthTest {
    private final AtomicReference<State> state = new AtomicReference<>();
    private boolean closing;
    private Optional<String> failure = Optional.empty();
    private Optional<String> registry = Optional.empty();
    private final AtomicInteger probes = new AtomicInteger();
    private final RestoreProgress restores = new RestoreProgress();
    private final Health health = new Health(new Health.Instance() {
        @Override
        public State state() {
            return state.get();
        }

        @Override
        public boolean closing() {
            return closing;
        }

        @Override
        public Optional<String> failure() {
            return failure;
        }
    }, restores, () -> {
        probes.incrementAndGet();
        return registry;
    }, this::now);
    private long clock = 1_000_000_000L;

    private long now() {
        return clock;
    }

    @Test
    void readyOnlyWhenRunningRestoredAndTheRegistryAnswers() {
        assertThat(health.ready()).isEqualTo(new Health.Verdict(false, "starting: Kafka Streams has not started yet"));
        assertThat(health.live().ok()).as("starting is alive").isTrue();

        state.set(State.REBALANCING);
        assertThat(health.ready().reason()).isEqualTo("Kafka Streams is REBALANCING: partitions are being assigned");
        assertThat(health.live().ok()).isTrue();

        state.set(State.RUNNING);
        TopicPartition changelog = new TopicPartition("app-store-changelog", 2);
        restores.onRestoreStart(changelog, "store", 100, 1_100);
        restores.onBatchRestored(changelog, "store", 400, 300);
        assertThat(health.ready()).isEqualTo(new Health.Verdict(false,
                "restoring 1 store partition(s) from their changelogs, 700 record(s) left"));
        restores.onRestoreEnd(changelog, "store", 1_000);
        assertThat(restores.remainingRecords()).isZero();

        assertThat(health.ready()).isEqualTo(new Health.Verdict(true, "RUNNING, restored, schema registry answering"));
    }

    @Test
    void aRegistryOutageMakesItUnreadyButAlive() {
        state.set(State.RUNNING);
        assertThat(health.ready().ok()).isTrue();
        registry = Optional.of("schema registry at http://r:8080 is unreachable");
        assertThat(health.ready().ok()).as("the last answer holds until the next probe is due").isTrue();
        clock += Health.PROBE_EVERY.toNanos();
        assertThat(health.ready()).isEqualTo(new Health.Verdict(false,
                "the schema registry does not answer: schema registry at http://r:8080 is unreachable"));
        assertThat(health.live().ok()).isTrue();
    }

    @Test
    void theRegistryIsProbedAtMostOncePerInterval() {
        state.set(State.RUNNING);
        for (int i = 0; i < 50; i++) {
            health.ready();
            clock += Health.PROBE_EVERY.toNanos() / 100;
        }
        assertThat(probes.get()).as("50 probes within half an interval").isEqualTo(1);
        clock += Health.PROBE_EVERY.toNanos();
        health.ready();
        assertThat(probes.get()).isEqualTo(2);
    }

    @Test
    void deadWhenKafkaStreamsFailedOrAReplacementFailedButNotWhenStopping() {
        state.set(State.ERROR);
        assertThat(health.live()).isEqualTo(new Health.Verdict(false,
                "Kafka Streams is ERROR: the instance stopped processing for good; restart it"));
        state.set(State.NOT_RUNNING);
        assertThat(health.live().ok()).isFalse();
        closing = true;
        assertThat(health.live().ok()).as("asked to stop").isTrue();
        assertThat(health.ready().ok()).isFalse();

        state.set(State.RUNNING);
        failure = Optional.of("replacing the instance after a stuck handler failed: restart it");
        assertThat(health.live()).isEqualTo(new Health.Verdict(false, failure.get()));
    }

    @Test
    void aSuspendedRestoreIsNoLongerWaitedFor() {
        TopicPartition changelog = new TopicPartition("c", 0);
        restores.onRestoreStart(changelog, "s", 0, 50);
        assertThat(restores.restoring()).isEqualTo(1);
        restores.onRestoreSuspended(changelog, "s", 10);
        assertThat(restores.restoring()).isZero();
    }
}
