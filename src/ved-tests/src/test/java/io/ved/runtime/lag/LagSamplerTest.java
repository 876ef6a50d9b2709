package io.ved.runtime.lag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Depths are measured at most once per interval per topic, and a failed measurement says which topic. */
class LagSamplerTest {
    private final AtomicLong clock = new AtomicLong();
    private int asked;

    @Test
    void aMeasurementIsReusedUntilItIsOlderThanTheInterval() throws Exception {
        LagSampler sampler = new LagSampler(topic -> {
            asked++;
            return Map.of(0, 3L + asked, 1, 4L);
        }, Duration.ofMillis(500), clock::get);

        assertThat(sampler.sample("a").total()).isEqualTo(8);
        clock.addAndGet(Duration.ofMillis(499).toNanos());
        assertThat(sampler.sample("a").total()).isEqualTo(8);
        assertThat(sampler.freshFor(sampler.sample("a"))).isEqualTo(Duration.ofMillis(1).toNanos());
        assertThat(sampler.sample("b").partition(0)).as("each topic has its own measurement").isEqualTo(5);
        clock.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(sampler.sample("a").total()).isEqualTo(10);
        assertThat(sampler.measurements()).isEqualTo(3);
    }

    @Test
    void aFailedMeasurementNamesTheTopic() {
        LagSampler sampler = new LagSampler(topic -> {
            throw new ExecutionException(new IllegalStateException("broker gone"));
        }, Duration.ofMillis(500), clock::get);
        assertThatThrownBy(() -> sampler.sample("ved.inventory.inbox"))
                .hasMessage("could not measure the mailbox depth of ved.inventory.inbox: broker gone");
    }
}
