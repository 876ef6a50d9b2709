package io.ved.tooling.verify;

import io.ved.tooling.verify.CommittedHistory.DeadLetterSeen;
import io.ved.tooling.verify.CommittedHistory.InboxRecord;
import io.ved.tooling.verify.model.Audit;
import io.ved.tooling.verify.model.Deposit;
import io.ved.tooling.verify.model.VerifyAccountState;
import io.ved.tooling.verify.model.VerifyAuditState;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Proves the run from what Kafka committed (a {@link CommittedHistory}, read with read_committed readers only): the
 * deposits in the account inbox, the account states in their changelog, the audits the accounts sent (the audit
 * inbox), the audit states in theirs, and the dead letters (and the storm guard's quarantine). Every seq of the plan
 * must have each of its effects exactly once:
 * <ul>
 *   <li>in the account inbox, once (the driver's idempotent producer);</li>
 *   <li>a normal deposit: applied once on its account, audited once (one Audit in the audit inbox, with the
 *       right account and amount), and recorded once by its audit instance;</li>
 *   <li>a poison deposit: no effect at all, and exactly one dead letter;</li>
 * </ul>
 * and order must hold: an account's applied seqs increase (the driver sent them in seq order), and so do the
 * seqs of one account's audits as one audit instance recorded them. Sums and counts must match the seqs. A record of
 * an aborted transaction that a reader saw shows up as an effect counted twice (the aborted attempt's and the retry's).
 * {@code CheckerTest} feeds it made-up histories with one defect each.
 */
final class Checker {
    private static final int MAX_EXAMPLES = 10;

    /** What the checker found; {@link #passed()} when nothing was lost, doubled, reordered or unexplained. */
    record Result(long lost, long duplicated, long outOfOrder, long poisonApplied, long inconsistent, long deadLetters,
                  long expectedDeadLetters, long unexplainedDeadLetters, List<String> examples) {
        boolean passed() {
            return lost == 0 && duplicated == 0 && outOfOrder == 0 && poisonApplied == 0 && inconsistent == 0
                    && unexplainedDeadLetters == 0;
        }
    }

    private final VerifyPlan plan;
    private final BitSet lost;
    private final BitSet duplicated;
    private final BitSet poisonApplied;
    private long outOfOrder;
    private long inconsistent;
    private final List<String> examples = new ArrayList<>();

    /** A checker of one run's history against its plan; use once. */
    Checker(VerifyPlan plan) {
        this.plan = plan;
        this.lost = new BitSet(plan.messages());
        this.duplicated = new BitSet(plan.messages());
        this.poisonApplied = new BitSet(plan.messages());
    }

    Result check(CommittedHistory history) {
        int n = plan.messages();
        int[] inInbox = new int[n];
        int[] applied = new int[n];
        int[] auditsSent = new int[n];
        int[] audited = new int[n];
        int[] deadLettered = new int[n];

        for (InboxRecord<Deposit> r : history.deposits()) {
            Deposit d = decoded(r, "account inbox");
            if (d != null && known(d.getSeq(), "account inbox")) {
                inInbox[(int) d.getSeq()]++;
                expect(plan.account(d.getSeq()).equals(r.key()), "deposit " + d.getSeq() + " is keyed " + r.key()
                        + " in the inbox, not " + plan.account(d.getSeq()));
            }
        }
        for (InboxRecord<Audit> r : history.audits()) {
            Audit a = decoded(r, "audit inbox");
            if (a != null && known(a.getSeq(), "audit inbox")) {
                long seq = a.getSeq();
                auditsSent[(int) seq]++;
                expect(plan.account(seq).equals(a.getAccount()) && plan.amount(seq) == a.getAmount()
                                && plan.audit(seq).equals(r.key()),
                        "audit of deposit " + seq + " says " + a + " to " + r.key() + "; the plan says account "
                                + plan.account(seq) + ", amount " + plan.amount(seq) + ", audit " + plan.audit(seq));
            }
        }
        checkAccounts(history.accounts(), applied);
        checkAudits(history.auditStates(), audited);
        long[] deadLetterCounts = checkDeadLetters(history, deadLettered);

        for (int seq = 0; seq < n; seq++) {
            count(seq, "in the account inbox", inInbox[seq], 1);
            if (plan.isPoison(seq)) {
                count(seq, "dead-lettered (poison)", deadLettered[seq], 1);
                noEffect(seq, "applied", applied[seq]);
                noEffect(seq, "audited", auditsSent[seq]);
            } else {
                count(seq, "applied on " + plan.account(seq), applied[seq], 1);
                count(seq, "sent as an audit", auditsSent[seq], 1);
                count(seq, "recorded by " + plan.audit(seq), audited[seq], 1);
                count(seq, "dead-lettered", deadLettered[seq], 0);
            }
        }
        return new Result(lost.cardinality(), duplicated.cardinality(), outOfOrder, poisonApplied.cardinality(), inconsistent,
                deadLetterCounts[0], deadLetterCounts[1], deadLetterCounts[2], List.copyOf(examples));
    }

    private void checkAccounts(Map<String, VerifyAccountState> states, int[] applied) {
        for (Map.Entry<String, VerifyAccountState> e : states.entrySet()) {
            VerifyAccountState s = e.getValue();
            long sum = 0;
            long previous = -1;
            for (long seq : s.getApplied()) {
                if (!known(seq, "state of " + e.getKey())) {
                    continue;
                }
                applied[(int) seq]++;
                sum += plan.amount(seq);
                expect(plan.account(seq).equals(e.getKey()), "deposit " + seq + " was applied on " + e.getKey()
                        + " but sent to " + plan.account(seq));
                if (seq < previous) {
                    outOfOrder++;
                    example("out of order: " + e.getKey() + " applied deposit " + seq + " after " + previous);
                }
                previous = Math.max(previous, seq);
            }
            List<Long> seqs = s.getApplied();
            expect(s.getSum() == sum && s.getCount() == seqs.size()
                            && s.getLastSeq() == (seqs.isEmpty() ? -1 : seqs.getLast()),
                    e.getKey() + " holds sum " + s.getSum() + ", count " + s.getCount() + ", last seq " + s.getLastSeq()
                            + " but its applied seqs add up to " + sum + " over " + seqs.size());
        }
    }

    private void checkAudits(Map<String, VerifyAuditState> states, int[] audited) {
        for (Map.Entry<String, VerifyAuditState> e : states.entrySet()) {
            VerifyAuditState s = e.getValue();
            long sum = 0;
            Map<Integer, Long> lastByAccount = new HashMap<>();
            for (long seq : s.getSeqs()) {
                if (!known(seq, "state of " + e.getKey())) {
                    continue;
                }
                audited[(int) seq]++;
                sum += plan.amount(seq);
                expect(plan.audit(seq).equals(e.getKey()), "deposit " + seq + " was audited by " + e.getKey()
                        + " instead of " + plan.audit(seq));
                Long previous = lastByAccount.put(plan.accountIndex(seq), seq);
                if (previous != null && seq < previous) {
                    outOfOrder++;
                    lastByAccount.put(plan.accountIndex(seq), previous);
                    example("out of order: " + e.getKey() + " recorded " + plan.account(seq) + "'s deposit " + seq
                            + " after " + previous);
                }
            }
            expect(s.getSum() == sum && s.getCount() == s.getSeqs().size(), e.getKey() + " holds sum " + s.getSum()
                    + ", count " + s.getCount() + " but its seqs add up to " + sum + " over " + s.getSeqs().size());
        }
    }

    /** @return total dead letters, those expected (poison, once each), and those not explained by the plan */
    private long[] checkDeadLetters(CommittedHistory history, int[] deadLettered) {
        long total = 0;
        long expected = 0;
        long unexplained = 0;
        for (DeadLetterSeen dead : history.deadLetters()) {
            total++;
            Long seq = dead.seq();
            // a poison deposit is explained whatever the reason says (handler failed, or retries exhausted)
            boolean explained = seq != null && plan.contains(seq) && plan.isPoison(seq)
                    && VerifyAccount.TYPE.name().equals(dead.domain());
            if (seq != null && plan.contains(seq)) {
                deadLettered[(int) (long) seq]++;
            }
            if (explained) {
                expected++;
            } else {
                unexplained++;
                example("unexplained dead letter: " + dead.reason() + " in " + dead.domain()
                        + (seq == null ? "" : ", deposit " + seq) + " (" + dead.error() + ")");
            }
        }
        // The storm guard quarantines what it stops; the verifier's chain is two hops without loops, so nothing may be there.
        for (String key : history.quarantinedKeys()) {
            total++;
            unexplained++;
            example("unexplained quarantined record with key " + key);
        }
        return new long[] {total, expected, unexplained};
    }

    private void count(int seq, String what, int actual, int expected) {
        if (actual < expected) {
            lost.set(seq);
            example("lost: deposit " + seq + " " + what + " " + actual + " times, expected " + expected);
        } else if (actual > expected) {
            duplicated.set(seq);
            example("duplicated: deposit " + seq + " " + what + " " + actual + " times, expected " + expected);
        }
    }

    /** A poison deposit must change nothing: applying or auditing it is its own defect, not a duplicate. */
    private void noEffect(int seq, String what, int actual) {
        if (actual > 0) {
            poisonApplied.set(seq);
            example("poison applied: deposit " + seq + " (poison) was " + what + " " + actual + " times, expected never");
        }
    }

    private void expect(boolean ok, String problem) {
        if (!ok) {
            inconsistent++;
            example("inconsistent: " + problem);
        }
    }

    private boolean known(long seq, String where) {
        if (!plan.contains(seq)) {
            inconsistent++;
            example("inconsistent: seq " + seq + " in the " + where + " was never sent");
            return false;
        }
        return true;
    }

    private void example(String problem) {
        if (examples.size() < MAX_EXAMPLES) {
            examples.add(problem);
        }
    }

    private <T> T decoded(InboxRecord<T> r, String where) {
        if (r.value() == null) {
            inconsistent++;
            example("inconsistent: an undecodable record at " + where + " " + r.position());
        }
        return r.value();
    }
}
