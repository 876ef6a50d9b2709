package io.ved.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The size of the test kit's stack: {@code -Dved.it.brokers} and {@link VedStack#shared(int)} refuse what is not one. */
class VedStackBrokersTest {
    @Test
    void theDefaultStackHasOneBrokerAndThePropertyAsksForMore() {
        assertThat(VedStack.brokersProperty(null)).isEqualTo(1);
        assertThat(VedStack.brokersProperty(" ")).isEqualTo(1);
        assertThat(VedStack.brokersProperty(" 3 ")).isEqualTo(3);
    }

    @Test
    void aSizeThatIsNotANumberOfNodesIsRefusedWithTheFix() {
        assertThatThrownBy(() -> VedStack.brokersProperty("three")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Dved.it.brokers=three is not a number of Kafka nodes: use 1 (one broker, the default) or e.g. 3 "
                        + "(a replicated cluster)");
        assertThatThrownBy(() -> VedStack.brokersProperty("0")).hasMessageStartingWith("-Dved.it.brokers=0 is not");
        assertThatThrownBy(() -> VedStack.shared(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 broker, not 0");
    }
}
