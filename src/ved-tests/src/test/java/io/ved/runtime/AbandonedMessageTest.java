package io.ved.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ved.api.DomainRef;
import io.ved.envelope.Envelope;
import io.ved.runtime.deadletter.DeadLetterReason;
import io.ved.runtime.handler.AbandonedMessages;
import io.ved.runtime.handler.HandlerIsolation;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import io.ved.testdomains.Flaky;
import io.ved.testdomains.FlakyDomain;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A message recorded as abandoned (its handler once held a stream thread for good) is dead-lettered where it is read
 * next, without its handler running; the instance's next message is handled as usual.
 */
class AbandonedMessageTest {
    private static final DomainRef LOOP = FlakyDomain.FLAKY.ref("loop");

    @Test
    void anAbandonedMessageIsDeadLetteredWithoutRunningAndTheNextOneIsHandled() throws Exception {
        FlakyDomain.reset();
        TopologyFile file = new TopologyFile("ved-abandoned-test", "abandoned.deadletters", "abandoned.replies",
                List.of(new DomainTopic(FlakyDomain.FLAKY, "flaky.inbox", 1, (short) 1, -1)));
        AbandonedMessages abandoned = AbandonedMessages.inMemory();
        Flaky first = new Flaky(1L, 0, 0L, 0L);
        Envelope stuck = RuntimeDriver.envelope("m-stuck", LOOP, first);
        abandoned.record(stuck, "the handler ran longer than its limit of 1000 ms, ignored its interrupt; not run again");

        try (RuntimeDriver driver = new RuntimeDriver(file, List.of(FlakyDomain.flaky()),
                new HandlerIsolation(abandoned, (thread, message) -> { }))) {
            driver.send(stuck, first);
            Flaky second = new Flaky(2L, 0, 0L, 0L);
            driver.send(RuntimeDriver.envelope("m-next", LOOP, second), second);

            assertThat(driver.deadLetters()).singleElement().satisfies(d -> {
                assertThat(d.reason()).isEqualTo(DeadLetterReason.HANDLER_TIMEOUT);
                assertThat(d.error()).contains("ignored its interrupt", "not run again");
            });
            assertThat(FlakyDomain.attempts("loop", 1)).as("the abandoned message's handler did not run").isZero();
            assertThat(FlakyDomain.attempts("loop", 2)).as("the next message was handled").isEqualTo(1);
        }
    }
}
