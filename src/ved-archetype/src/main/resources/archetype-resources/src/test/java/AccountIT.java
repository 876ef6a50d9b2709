package ${package};

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ${package}.account.AccountState;
import ${package}.account.Deposit;
import ${package}.account.Withdraw;
import io.ved.api.Ved;
import io.ved.api.VedSender;
import io.ved.testkit.VedStack;
import io.ved.testkit.VedStackExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application on a real stack: a KRaft broker and an Apicurio registry, started once for the test run by
 * {@link VedStackExtension}. Messages go through Kafka in exactly-once transactions and the state is read back
 * from the application's changelog topic.
 */
@ExtendWith(VedStackExtension.class)
class AccountIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Path TOPOLOGY_FILE = Path.of("topology/${artifactId}.yaml");

    @Test
    void messagesSentThroughKafkaChangeTheAccount(VedStack stack, @TempDir Path stateDir) throws Exception {
        stack.createTopics(TOPOLOGY_FILE);
        try (Ved app = stack.start(App.builder().stateDir(stateDir), WAIT);
             VedSender sender = stack.sender(TOPOLOGY_FILE, "/${artifactId}-it")) {
            sender.send(AccountDomain.ref("acc-it"), new Deposit(900L));
            sender.send(AccountDomain.ref("acc-it"), new Withdraw(400L));

            await().atMost(WAIT).untilAsserted(() -> {
                Optional<AccountState> state = stack.stateOf(App.TOPOLOGY, AccountDomain.definition(), "acc-it", WAIT);
                assertThat(state).hasValueSatisfying(s -> assertThat(s.getBalance()).isEqualTo(500L));
            });
        }
    }
}
