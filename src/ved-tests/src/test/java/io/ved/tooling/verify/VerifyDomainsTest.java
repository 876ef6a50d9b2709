package io.ved.tooling.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.ved.testkit.VedTestKit;
import io.ved.tooling.verify.model.Audit;
import io.ved.tooling.verify.model.Deposit;
import io.ved.tooling.verify.model.VerifyAccountState;
import io.ved.tooling.verify.model.VerifyAuditState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verifier's two domains, in memory: what the checker later expects to find in the committed states. */
class VerifyDomainsTest {

    @Test
    void aDepositIsAppliedOnItsAccountAndAuditedOnce() {
        try (VedTestKit kit = VedTestKit.of(VerifyApp.topology(VerifyApp.yaml("test", 3)), VerifyApp.domains())) {
            kit.send(VerifyAccount.ref("a-1"), new Deposit(4L, 100L, "u-1", false));
            kit.send(VerifyAccount.ref("a-1"), new Deposit(9L, 25L, "u-1", false));
            kit.send(VerifyAccount.ref("a-2"), new Deposit(11L, 7L, "u-1", false));

            VerifyAccountState account = kit.stateOf(VerifyAccount.ref("a-1"));
            assertThat(account.getApplied()).containsExactly(4L, 9L);
            assertThat(account.getSum()).isEqualTo(125L);
            assertThat(account.getCount()).isEqualTo(2L);
            assertThat(account.getLastSeq()).isEqualTo(9L);
            VerifyAuditState audit = kit.stateOf(VerifyAudit.ref("u-1"));
            assertThat(audit.getSeqs()).containsExactly(4L, 9L, 11L);
            assertThat(audit.getSum()).isEqualTo(132L);
            assertThat(kit.sentTo(VerifyAudit.ref("u-1"))).map(d -> d.as(Audit.class))
                    .containsExactly(new Audit("a-1", 4L, 100L), new Audit("a-1", 9L, 25L), new Audit("a-2", 11L, 7L));
            assertThat(kit.deadLetters()).isEmpty();
        }
    }

    @Test
    void aPoisonDepositChangesNothingAndBecomesOneDeadLetter() {
        try (VedTestKit kit = VedTestKit.of(VerifyApp.topology(VerifyApp.yaml("test", 3)), VerifyApp.domains())) {
            kit.send(VerifyAccount.ref("a-1"), new Deposit(1L, 10L, "u-0", false));
            kit.send(VerifyAccount.ref("a-1"), new Deposit(2L, 20L, "u-0", true));
            kit.send(VerifyAccount.ref("a-1"), new Deposit(3L, 30L, "u-0", false));
            kit.advanceTime(Duration.ofMinutes(1));   // past every retry of the poison; deposit 3 waited behind it

            VerifyAccountState account = kit.stateOf(VerifyAccount.ref("a-1"));
            assertThat(account.getApplied()).containsExactly(1L, 3L);
            assertThat(account.getSum()).isEqualTo(40L);
            assertThat(kit.<VerifyAuditState>stateOf(VerifyAudit.ref("u-0")).getSeqs()).containsExactly(1L, 3L);
            assertThat(kit.deadLetters()).singleElement().satisfies(dead -> {
                assertThat(dead.domain()).isEqualTo("VerifyAccount");
                assertThat(dead.error()).contains("poison deposit 2");
            });
        }
    }

    @Test
    void thePlanIsFixedByItsSeedAndEachAccountHasOneAudit() {
        VerifyPlan plan = new VerifyPlan(1_000, 10, 3, 5, 42L);
        VerifyPlan again = new VerifyPlan(1_000, 10, 3, 5, 42L);
        assertThat(plan.poisonCount()).isEqualTo(5);
        for (long seq = 0; seq < 1_000; seq++) {
            assertThat(again.deposit(seq)).isEqualTo(plan.deposit(seq));
            assertThat(plan.audit(seq)).isEqualTo(VerifyPlan.auditId(plan.accountIndex(seq) % 3));
        }
        assertThat(List.of(plan.account(0), plan.audit(0))).allMatch(id -> id.matches("[au]-\\d+"));
    }
}
