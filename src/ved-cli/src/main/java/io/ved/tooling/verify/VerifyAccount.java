package io.ved.tooling.verify;

import io.ved.api.Context;
import io.ved.api.DomainDefinition;
import io.ved.api.DomainRef;
import io.ved.api.DomainType;
import io.ved.tooling.verify.model.Audit;
import io.ved.tooling.verify.model.Deposit;
import io.ved.tooling.verify.model.VerifyAccountState;
import java.util.ArrayList;
import java.util.List;

/**
 * The first domain of the verifier: an account that applies the driver's deposits and has each one audited.
 * Its state keeps every applied seq in order, so a lost, doubled or reordered deposit shows in the committed
 * state; the audit it sends is the second link of the chain, checked the same way at {@link VerifyAudit}.
 */
public final class VerifyAccount {
    public static final DomainType TYPE = DomainType.named("VerifyAccount");

    private VerifyAccount() {
    }

    public static DomainRef ref(String id) {
        return new DomainRef(TYPE, id);
    }

    public static DomainDefinition<VerifyAccountState> definition() {
        return DomainDefinition.of(TYPE, VerifyAccountState.class)
                .initialState(id -> VerifyAccountState.newBuilder().build())
                .on(Deposit.class, VerifyAccount::deposit)
                .sends(VerifyAudit.TYPE, Audit.class)
                .build();
    }

    static VerifyAccountState deposit(VerifyAccountState state, Deposit deposit, Context ctx) {
        if (deposit.getPoison()) {
            throw new PoisonDepositException(deposit.getSeq());
        }
        ctx.send(VerifyAudit.ref(deposit.getAudit()), new Audit(ctx.self().id(), deposit.getSeq(), deposit.getAmount()));
        List<Long> applied = new ArrayList<>(state.getApplied().size() + 1);
        applied.addAll(state.getApplied());
        applied.add(deposit.getSeq());
        return VerifyAccountState.newBuilder()
                .setSum(state.getSum() + deposit.getAmount())
                .setCount(state.getCount() + 1)
                .setLastSeq(deposit.getSeq())
                .setApplied(applied)
                .build();
    }

    /** What a poison deposit throws: the verifier expects each one as exactly one dead letter. */
    public static final class PoisonDepositException extends RuntimeException {
        public PoisonDepositException(long seq) {
            super("poison deposit " + seq + " (sent by the verifier to be dead-lettered)");
        }
    }
}
