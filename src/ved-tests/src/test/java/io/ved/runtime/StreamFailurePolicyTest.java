package io.ved.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ved.envelope.registry.RegistryUnavailableException;
import java.time.Duration;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class StreamFailurePolicyTest {

    @Test
    void outagesAreToldApartFromBugs() {
        assertThat(StreamFailurePolicy.isRegistryOutage(new StreamsException(new RegistryUnavailableException("down", null)))).isTrue();
        assertThat(StreamFailurePolicy.isBrokerTrouble(new StreamsException(new InvalidTxnStateException("broker restarted")))).isTrue();
        assertThat(StreamFailurePolicy.isBrokerTrouble(new StreamsException(new IllegalStateException("a bug")))).isFalse();
        assertThat(StreamFailurePolicy.isRegistryOutage(new IllegalStateException("a bug"))).isFalse();
    }

    @Test
    void onlyALimitedNumberOfReplacementsFitInTheWindow() {
        var budget = new StreamFailurePolicy.ReplacementBudget(2, Duration.ofSeconds(10));
        long t = 0;
        assertThat(budget.allowAnother(t)).isTrue();
        assertThat(budget.allowAnother(t + 1)).isTrue();
        assertThat(budget.allowAnother(t + 2)).isFalse();
        assertThat(budget.allowAnother(t + Duration.ofSeconds(11).toNanos())).isTrue();
    }
}
