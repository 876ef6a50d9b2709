package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import ${package}.account.AccountState;
import ${package}.account.Deposit;
import ${package}.account.Withdraw;
import io.ved.api.DomainRef;
import io.ved.testkit.VedTestKit;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The account's stories, on Kafka Streams' TopologyTestDriver: send, then look at the state. */
class AccountDomainTest {
    private static final DomainRef ACCOUNT = AccountDomain.ref("acc-1");

    private VedTestKit kit;

    @BeforeEach
    void startTheApplicationInMemory() {
        kit = VedTestKit.of(App.TOPOLOGY, AccountDomain.definition());
    }

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void depositsAddUp() {
        kit.send(ACCOUNT, new Deposit(500L));
        kit.send(ACCOUNT, new Deposit(250L));

        AccountState state = kit.stateOf(ACCOUNT);
        assertThat(state.getBalance()).isEqualTo(750L);
        assertThat(kit.deadLetters()).isEmpty();
    }

    @Test
    void aWithdrawalTheBalanceCoversIsTakenOut() {
        kit.send(ACCOUNT, new Deposit(500L));
        kit.send(ACCOUNT, new Withdraw(200L));

        AccountState state = kit.stateOf(ACCOUNT);
        assertThat(state.getBalance()).isEqualTo(300L);
        assertThat(state.getRefusedWithdrawals()).isZero();
    }

    @Test
    void aWithdrawalLargerThanTheBalanceIsRefusedAndChangesNothingElse() {
        kit.send(ACCOUNT, new Deposit(100L));
        kit.send(ACCOUNT, new Withdraw(101L));

        AccountState state = kit.stateOf(ACCOUNT);
        assertThat(state.getBalance()).isEqualTo(100L);
        assertThat(state.getRefusedWithdrawals()).isEqualTo(1);
    }

    @Test
    void aDepositOfNothingIsDeadLetteredAndTheNextMessageGoesOn() {
        kit.send(ACCOUNT, new Deposit(0L));
        kit.send(ACCOUNT, new Deposit(40L)); // waits behind the failing one, in order

        assertThat(kit.deadLetters()).isEmpty(); // the failing handler is retried first, with backoff
        kit.advanceTime(Duration.ofSeconds(1));  // past the default retries (3 attempts, 200 ms then 400 ms apart)

        assertThat(kit.deadLetters()).singleElement().satisfies(dead ->
                assertThat(dead.error()).contains("an amount must be more than zero, got 0"));
        AccountState state = kit.stateOf(ACCOUNT);
        assertThat(state.getBalance()).isEqualTo(40L);
    }

    @Test
    void accountsAreApart() {
        DomainRef other = AccountDomain.ref("acc-2");
        kit.send(ACCOUNT, new Deposit(100L));
        kit.send(other, new Deposit(7L));

        AccountState first = kit.stateOf(ACCOUNT);
        AccountState second = kit.stateOf(other);
        assertThat(first.getBalance()).isEqualTo(100L);
        assertThat(second.getBalance()).isEqualTo(7L);
    }
}
