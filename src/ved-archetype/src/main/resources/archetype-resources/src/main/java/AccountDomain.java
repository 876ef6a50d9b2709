package ${package};

import ${package}.account.AccountState;
import ${package}.account.Deposit;
import ${package}.account.Withdraw;
import io.ved.api.Context;
import io.ved.api.DomainDefinition;
import io.ved.api.DomainRef;
import io.ved.api.DomainType;

/**
 * One account, addressed by its id: {@code AccountDomain[acc-1]}. It changes only by handling its mailbox's
 * messages, one at a time and in order: a deposit adds to the balance, a withdrawal takes from it when the balance
 * covers it and is counted as refused otherwise. An amount that is not positive is a bad message: the handler throws,
 * and Ved dead-letters the message (after its retries) with the reason, leaving the state as it was.
 */
public final class AccountDomain {
    /** The domain type, as the topology file names it. */
    public static final DomainType TYPE = DomainType.named("AccountDomain");

    private AccountDomain() {
    }

    /** The address of one account. */
    public static DomainRef ref(String accountId) {
        return TYPE.ref(accountId);
    }

    /** The domain as Ved runs it: its state, and one handler per message type. */
    public static DomainDefinition<AccountState> definition() {
        return DomainDefinition.of(TYPE, AccountState.class)
                .initialState(accountId -> AccountState.newBuilder().setAccountId(accountId).build())
                .on(Deposit.class, AccountDomain::deposit)
                .on(Withdraw.class, AccountDomain::withdraw)
                .build();
    }

    static AccountState deposit(AccountState state, Deposit deposit, Context ctx) {
        requirePositive(deposit.getAmount());
        return AccountState.newBuilder(state).setBalance(state.getBalance() + deposit.getAmount()).build();
    }

    static AccountState withdraw(AccountState state, Withdraw withdraw, Context ctx) {
        requirePositive(withdraw.getAmount());
        if (withdraw.getAmount() > state.getBalance()) {
            return AccountState.newBuilder(state).setRefusedWithdrawals(state.getRefusedWithdrawals() + 1).build();
        }
        return AccountState.newBuilder(state).setBalance(state.getBalance() - withdraw.getAmount()).build();
    }

    private static void requirePositive(long amount) {
        if (amount <= 0) {
            throw new IllegalArgumentException("an amount must be more than zero, got " + amount);
        }
    }
}
