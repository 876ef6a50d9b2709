package io.ved.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ved.runtime.handler.HandlerIsolation;
import io.ved.runtime.mailbox.DeferredDepth;
import io.ved.runtime.storm.StormPolicy;
import io.ved.runtime.storm.ThrottlePolicy;
import io.ved.runtime.topology.DomainPolicy;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.HandlerThread;
import io.ved.runtime.topology.RetryPolicy;
import io.ved.runtime.topology.TopologyFile;
import io.ved.testdomains.Flaky;
import io.ved.testdomains.FlakyDomain;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the runtime keeps for throttling does not grow without bound, and what it holds back is published: the rate
 * buckets of idle instances are swept away once full again, and each partition publishes its deferred depth when it
 * changes (at most once a second) and every 30 s when it does not.
 */
class RuntimeQueuesTest {
    private static final String BUCKETS = "rb|";

    private static TopologyFile throttled() {
        DomainPolicy policy = new DomainPolicy(RetryPolicy.DEFAULT, Duration.ofSeconds(5), HandlerThread.STREAM, true,
                StormPolicy.DEFAULT, new ThrottlePolicy(1, 0, 0, 1));
        return new TopologyFile("ved-queues-test", "queues.deadletters", "queues.replies",
                List.of(new DomainTopic(FlakyDomain.FLAKY, "flaky.inbox", 1, (short) 1, -1, policy)));
    }

    private static void send(RuntimeDriver driver, String id, long seq) {
        Flaky message = new Flaky(seq, 0, 0L, 0L);
        driver.send(RuntimeDriver.envelope(id + "-" + seq, FlakyDomain.FLAKY.ref(id), message), message);
    }

    @Test
    void theRateBucketsOfIdleInstancesAreSweptOnceTheyAreFullAgain() throws Exception {
        try (RuntimeDriver driver = new RuntimeDriver(throttled(), List.of(FlakyDomain.flaky()), new HandlerIsolation())) {
            for (int i = 0; i < 50; i++) {
                send(driver, "visitor-" + i, 1);
            }
            driver.advance(Duration.ofMillis(100));
            assertThat(driver.runtimeKeys("FlakyDomain", BUCKETS)).as("one bucket per instance, just emptied").isEqualTo(50);

            driver.advance(DomainProcessor.BUCKET_SWEEP_INTERVAL.plusSeconds(1));

            assertThat(driver.runtimeKeys("FlakyDomain", BUCKETS)).as("full buckets are the same as none").isZero();
        }
    }

    @Test
    void aPartitionPublishesItsDeferredDepthWhenItChangesAndNowAndThenWhenItDoesNot() throws Exception {
        try (RuntimeDriver driver = new RuntimeDriver(throttled(), List.of(FlakyDomain.flaky()), new HandlerIsolation())) {
            for (long seq = 1; seq <= 4; seq++) {
                send(driver, "busy", seq); // one handled, three wait for the throttle
            }
            driver.advance(Duration.ofMillis(100));
            assertThat(depths(driver)).extracting(DeferredDepth::mailbox).containsExactly(3L);

            for (int second = 0; second < 5; second++) {
                driver.advance(Duration.ofSeconds(1)); // the throttle lets one through per second
            }
            List<DeferredDepth> draining = depths(driver);
            assertThat(draining).extracting(DeferredDepth::mailbox).containsExactly(2L, 1L, 0L);
            assertThat(draining).allSatisfy(d -> {
                assertThat(d.topic()).isEqualTo("flaky.inbox");
                assertThat(d.partition()).isZero();
            });

            driver.advance(Duration.ofSeconds(10));
            assertThat(depths(driver)).as("unchanged: not published again yet").isEmpty();
            driver.advance(DomainProcessor.DEPTH_REPEAT_INTERVAL);
            assertThat(depths(driver)).as("unchanged, repeated after 30 s").extracting(DeferredDepth::mailbox).containsExactly(0L);
        }
    }

    private static List<DeferredDepth> depths(RuntimeDriver driver) {
        return driver.depthRecords().stream()
                .map(v -> DeferredDepth.parse(v.getBytes(StandardCharsets.UTF_8)).orElseThrow()).toList();
    }
}
