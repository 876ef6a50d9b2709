package io.ved.tooling.verify;

import io.ved.api.Context;
import io.ved.api.DomainDefinition;
import io.ved.api.DomainRef;
import io.ved.api.DomainType;
import io.ved.tooling.verify.model.Audit;
import io.ved.tooling.verify.model.VerifyAuditState;
import java.util.ArrayList;
import java.util.List;

/**
 * The second domain of the verifier: records the audits that {@link VerifyAccount}s send it, in the order
 * received. Audits from one account must arrive in that account's order; audits from different accounts
 * may interleave in any order.
 */
public final class VerifyAudit {
    public static final DomainType TYPE = DomainType.named("VerifyAudit");

    private VerifyAudit() {
    }

    public static DomainRef ref(String id) {
        return new DomainRef(TYPE, id);
    }

    public static DomainDefinition<VerifyAuditState> definition() {
        return DomainDefinition.of(TYPE, VerifyAuditState.class)
                .initialState(id -> VerifyAuditState.newBuilder().build())
                .on(Audit.class, VerifyAudit::audit)
                .build();
    }

    static VerifyAuditState audit(VerifyAuditState state, Audit audit, Context ctx) {
        List<Long> seqs = new ArrayList<>(state.getSeqs().size() + 1);
        seqs.addAll(state.getSeqs());
        seqs.add(audit.getSeq());
        return VerifyAuditState.newBuilder()
                .setSum(state.getSum() + audit.getAmount())
                .setCount(state.getCount() + 1)
                .setSeqs(seqs)
                .build();
    }
}
