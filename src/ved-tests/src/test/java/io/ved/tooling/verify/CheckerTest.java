package io.ved.tooling.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.ved.tooling.verify.CommittedHistory.DeadLetterSeen;
import io.ved.tooling.verify.CommittedHistory.InboxRecord;
import io.ved.tooling.verify.model.Audit;
import io.ved.tooling.verify.model.Deposit;
import io.ved.tooling.verify.model.VerifyAccountState;
import io.ved.tooling.verify.model.VerifyAuditState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * The checker checks itself: made-up histories of a random plan (jqwik prints the seed of a failing one), clean or
 * with exactly one defect, must pass or be reported as that defect and nothing else.
 */
class CheckerTest {
    private static final int MESSAGES = 300;

    @Property(tries = 25)
    void aCleanHistoryPasses(@ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        VerifyPlan plan = plan(seed);
        Checker.Result result = new Checker(plan).check(new History(plan).build());
        assertThat(result.passed()).as(result.examples().toString()).isTrue();
        assertThat(result.expectedDeadLetters()).isEqualTo(plan.poisonCount());
    }

    @Property(tries = 25)
    void aLostMessageIsReportedAsLost(@ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        VerifyPlan plan = plan(seed);
        long victim = firstNormal(plan, seed);
        History history = new History(plan);
        history.applied.get(plan.account(victim)).remove(victim);
        history.audits.removeIf(a -> a.value().getSeq() == victim);
        history.recorded.get(plan.audit(victim)).remove(victim);

        Checker.Result result = new Checker(plan).check(history.build());
        assertThat(result.lost()).as(result.examples().toString()).isEqualTo(1);
        assertOnly(result, "lost");
        assertThat(result.examples()).anyMatch(e -> e.startsWith("lost: deposit " + victim + " "));
    }

    @Property(tries = 25)
    void anEffectAppliedTwiceIsReportedAsADuplicate(@ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        VerifyPlan plan = plan(seed);
        long victim = firstNormal(plan, seed);
        History history = new History(plan);
        List<Long> seqs = history.applied.get(plan.account(victim));
        seqs.add(seqs.indexOf(victim) + 1, victim); // applied again right after: the order still holds

        Checker.Result result = new Checker(plan).check(history.build());
        assertThat(result.duplicated()).as(result.examples().toString()).isEqualTo(1);
        assertOnly(result, "duplicated");
        assertThat(result.examples()).contains("duplicated: deposit " + victim + " applied on " + plan.account(victim)
                + " 2 times, expected 1");
    }

    @Property(tries = 25)
    void aReorderedPairIsReportedOutOfOrder(@ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        VerifyPlan plan = plan(seed);
        History history = new History(plan);
        List<Long> seqs = history.applied.values().stream().filter(l -> l.size() >= 2).findFirst().orElseThrow();
        long first = seqs.get(0);
        seqs.set(0, seqs.get(1));
        seqs.set(1, first);

        Checker.Result result = new Checker(plan).check(history.build());
        assertThat(result.outOfOrder()).as(result.examples().toString()).isEqualTo(1);
        assertOnly(result, "outOfOrder");
        assertThat(result.examples()).anyMatch(e -> e.startsWith("out of order: ") && e.endsWith("deposit " + first + " after " + seqs.get(0)));
    }

    @Property(tries = 25)
    void anAbortedSendThatWasReadIsReportedAsADuplicate(@ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        // A read_uncommitted reader (or a broken transaction) sees the aborted attempt's audit beside the retry's.
        VerifyPlan plan = plan(seed);
        long victim = firstNormal(plan, seed);
        History history = new History(plan);
        history.audits.add(new InboxRecord<>(plan.audit(victim), audit(plan, victim), "aborted"));

        Checker.Result result = new Checker(plan).check(history.build());
        assertThat(result.duplicated()).as(result.examples().toString()).isEqualTo(1);
        assertOnly(result, "duplicated");
        assertThat(result.examples()).contains("duplicated: deposit " + victim + " sent as an audit 2 times, expected 1");
    }

    @Property(tries = 25)
    void anAppliedPoisonMessageIsReportedAsSuch(@ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        VerifyPlan plan = plan(seed);
        long poison = firstPoison(plan);
        History history = new History(plan);
        List<Long> seqs = history.applied.get(plan.account(poison));
        int at = 0;
        while (at < seqs.size() && seqs.get(at) < poison) {
            at++;
        }
        seqs.add(at, poison); // in its place, so only the poison rule is broken

        Checker.Result result = new Checker(plan).check(history.build());
        assertThat(result.poisonApplied()).as(result.examples().toString()).isEqualTo(1);
        assertOnly(result, "poisonApplied");
        assertThat(result.examples()).contains("poison applied: deposit " + poison + " (poison) was applied 1 times, expected never");
    }

    @Property(tries = 10)
    void aDeadLetterThePlanDoesNotExplainIsReported(@ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        VerifyPlan plan = plan(seed);
        History history = new History(plan);
        history.deadLetters.add(new DeadLetterSeen("UNDECODABLE", VerifyAccount.TYPE.name(), "garbage", null));

        Checker.Result result = new Checker(plan).check(history.build());
        assertThat(result.unexplainedDeadLetters()).isEqualTo(1);
        assertOnly(result, "unexplainedDeadLetters");
    }

    private static void assertOnly(Checker.Result result, String defect) {
        Map<String, Long> counts = new TreeMap<>(Map.of("lost", result.lost(), "duplicated", result.duplicated(),
                "outOfOrder", result.outOfOrder(), "poisonApplied", result.poisonApplied(), "inconsistent", result.inconsistent(),
                "unexplainedDeadLetters", result.unexplainedDeadLetters()));
        counts.remove(defect);
        assertThat(counts).as("only " + defect + " is reported: " + result.examples()).allSatisfy((k, v) -> assertThat(v).isZero());
        assertThat(result.passed()).isFalse();
    }

    private static VerifyPlan plan(long seed) {
        return new VerifyPlan(MESSAGES, 12, 4, 5, seed);
    }

    private static long firstNormal(VerifyPlan plan, long seed) {
        long start = Math.floorMod(seed, MESSAGES);
        for (long i = 0; i < MESSAGES; i++) {
            long seq = (start + i) % MESSAGES;
            if (!plan.isPoison(seq)) {
                return seq;
            }
        }
        throw new IllegalStateException("every deposit is poison");
    }

    private static long firstPoison(VerifyPlan plan) {
        for (long seq = 0; seq < MESSAGES; seq++) {
            if (plan.isPoison(seq)) {
                return seq;
            }
        }
        throw new IllegalStateException("no poison deposit");
    }

    private static Audit audit(VerifyPlan plan, long seq) {
        return new Audit(plan.account(seq), seq, plan.amount(seq));
    }

    /** What a perfect run commits for the plan, in parts a test can break before {@link #build()}. */
    private static final class History {
        final VerifyPlan plan;
        final List<InboxRecord<Deposit>> deposits = new ArrayList<>();
        final List<InboxRecord<Audit>> audits = new ArrayList<>();
        final Map<String, List<Long>> applied = new HashMap<>();
        final Map<String, List<Long>> recorded = new HashMap<>();
        final List<DeadLetterSeen> deadLetters = new ArrayList<>();

        History(VerifyPlan plan) {
            this.plan = plan;
            for (long seq = 0; seq < plan.messages(); seq++) {
                deposits.add(new InboxRecord<>(plan.account(seq), plan.deposit(seq), "inbox " + seq));
                if (plan.isPoison(seq)) {
                    deadLetters.add(new DeadLetterSeen("HANDLER_FAILED", VerifyAccount.TYPE.name(), "poison", seq));
                    continue;
                }
                applied.computeIfAbsent(plan.account(seq), k -> new ArrayList<>()).add(seq);
                audits.add(new InboxRecord<>(plan.audit(seq), audit(plan, seq), "audits " + seq));
                recorded.computeIfAbsent(plan.audit(seq), k -> new ArrayList<>()).add(seq);
            }
        }

        /** The history, with each state's sum, count and last seq made to agree with its seqs. */
        CommittedHistory build() {
            Map<String, VerifyAccountState> accounts = new HashMap<>();
            applied.forEach((account, seqs) -> accounts.put(account, VerifyAccountState.newBuilder()
                    .setSum(seqs.stream().mapToLong(plan::amount).sum()).setCount(seqs.size())
                    .setLastSeq(seqs.isEmpty() ? -1 : seqs.getLast()).setApplied(List.copyOf(seqs)).build()));
            Map<String, VerifyAuditState> auditStates = new HashMap<>();
            recorded.forEach((audit, seqs) -> auditStates.put(audit, VerifyAuditState.newBuilder()
                    .setSum(seqs.stream().mapToLong(plan::amount).sum()).setCount(seqs.size()).setSeqs(List.copyOf(seqs)).build()));
            return new CommittedHistory(deposits, audits, accounts, auditStates, deadLetters, List.of());
        }
    }
}
