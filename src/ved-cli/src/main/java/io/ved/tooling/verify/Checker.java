package io.ved.tooling.verify;

import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.MessageCodec;
import io.ved.runtime.deadletter.DeadLetterHeaders;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.StateReader;
import io.ved.runtime.TopicReader;
import io.ved.tooling.verify.model.Audit;
import io.ved.tooling.verify.model.Deposit;
import io.ved.tooling.verify.model.VerifyAccountState;
import io.ved.tooling.verify.model.VerifyAuditState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Proves the run from what Kafka committed, with read_committed readers only: the deposits in the account
 * inbox, the account states in their changelog, the audits the accounts sent (the audit inbox), the audit
 * states in theirs, and the dead letters (and the storm guard's quarantine). Every seq of the plan must have each
 * of its effects exactly once:
 * <ul>
 *   <li>in the account inbox, once (the driver's idempotent producer);</li>
 *   <li>a normal deposit: applied once on its account, audited once (one Audit in the audit inbox, with the
 *       right account and amount), and recorded once by its audit instance;</li>
 *   <li>a poison deposit: no effect at all, and exactly one dead letter;</li>
 * </ul>
 * and order must hold: an account's applied seqs increase (the driver sent them in seq order), and so do the
 * seqs of one account's audits as one audit instance recorded them. Sums and counts must match the seqs.
 */
final class Checker {
    private static final int MAX_EXAMPLES = 10;

    /** What the checker found; {@link #passed()} when nothing was lost, doubled, reordered or unexplained. */
    record Result(long lost, long duplicated, long outOfOrder, long inconsistent, long deadLetters,
                  long expectedDeadLetters, long unexplainedDeadLetters, List<String> examples) {
        boolean passed() {
            return lost == 0 && duplicated == 0 && outOfOrder == 0 && inconsistent == 0 && unexplainedDeadLetters == 0;
        }
    }

    private final String bootstrap;
    private final MessageCodec codec;
    private final TopologyFile topology;
    private final VerifyPlan plan;
    private final Duration timeout;
    private final BitSet lost;
    private final BitSet duplicated;
    private long outOfOrder;
    private long inconsistent;
    private final List<String> examples = new ArrayList<>();

    Checker(String bootstrap, MessageCodec codec, TopologyFile topology, VerifyPlan plan, Duration timeout) {
        this.bootstrap = bootstrap;
        this.codec = codec;
        this.topology = topology;
        this.plan = plan;
        this.timeout = timeout;
        this.lost = new BitSet(plan.messages());
        this.duplicated = new BitSet(plan.messages());
    }

    Result check() throws TimeoutException {
        int n = plan.messages();
        int[] inInbox = new int[n];
        int[] applied = new int[n];
        int[] auditsSent = new int[n];
        int[] audited = new int[n];
        int[] deadLettered = new int[n];

        for (ConsumerRecord<byte[], byte[]> r : read(topology.require(VerifyAccount.TYPE).topic())) {
            Deposit d = decode(r, Deposit.class, "account inbox");
            if (d != null && known(d.getSeq(), "account inbox")) {
                inInbox[(int) d.getSeq()]++;
                expect(plan.account(d.getSeq()).equals(key(r)), "deposit " + d.getSeq() + " is keyed " + key(r)
                        + " in the inbox, not " + plan.account(d.getSeq()));
            }
        }
        for (ConsumerRecord<byte[], byte[]> r : read(topology.require(VerifyAudit.TYPE).topic())) {
            Audit a = decode(r, Audit.class, "audit inbox");
            if (a != null && known(a.getSeq(), "audit inbox")) {
                long seq = a.getSeq();
                auditsSent[(int) seq]++;
                expect(plan.account(seq).equals(a.getAccount()) && plan.amount(seq) == a.getAmount()
                                && plan.audit(seq).equals(key(r)),
                        "audit of deposit " + seq + " says " + a + " to " + key(r) + "; the plan says account "
                                + plan.account(seq) + ", amount " + plan.amount(seq) + ", audit " + plan.audit(seq));
            }
        }
        checkAccounts(applied);
        checkAudits(audited);
        long[] deadLetterCounts = checkDeadLetters(deadLettered);

        for (int seq = 0; seq < n; seq++) {
            count(seq, "in the account inbox", inInbox[seq], 1);
            if (plan.isPoison(seq)) {
                count(seq, "dead-lettered (poison)", deadLettered[seq], 1);
                count(seq, "applied (poison)", applied[seq], 0);
                count(seq, "audited (poison)", auditsSent[seq], 0);
            } else {
                count(seq, "applied on " + plan.account(seq), applied[seq], 1);
                count(seq, "sent as an audit", auditsSent[seq], 1);
                count(seq, "recorded by " + plan.audit(seq), audited[seq], 1);
                count(seq, "dead-lettered", deadLettered[seq], 0);
            }
        }
        return new Result(lost.cardinality(), duplicated.cardinality(), outOfOrder, inconsistent, deadLetterCounts[0],
                deadLetterCounts[1], deadLetterCounts[2], List.copyOf(examples));
    }

    private void checkAccounts(int[] applied) throws TimeoutException {
        Map<String, VerifyAccountState> states =
                new StateReader(bootstrap, codec).states(topology, VerifyAccount.definition(), timeout);
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

    private void checkAudits(int[] audited) throws TimeoutException {
        Map<String, VerifyAuditState> states =
                new StateReader(bootstrap, codec).states(topology, VerifyAudit.definition(), timeout);
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
    private long[] checkDeadLetters(int[] deadLettered) throws TimeoutException {
        long total = 0;
        long expected = 0;
        long unexplained = 0;
        for (ConsumerRecord<byte[], byte[]> r : read(topology.deadLetterTopic())) {
            total++;
            String reason = EnvelopeHeaders.text(r.headers(), DeadLetterHeaders.REASON).orElse("?");
            String domain = EnvelopeHeaders.text(r.headers(), DeadLetterHeaders.DOMAIN).orElse("?");
            String error = EnvelopeHeaders.text(r.headers(), DeadLetterHeaders.ERROR).orElse("");
            Long seq = null;
            if (VerifyAccount.TYPE.name().equals(domain)) {
                Deposit d = decodeQuietly(r.value(), Deposit.class);
                seq = d == null ? null : d.getSeq();
            } else if (VerifyAudit.TYPE.name().equals(domain)) {
                Audit a = decodeQuietly(r.value(), Audit.class);
                seq = a == null ? null : a.getSeq();
            }
            // a poison deposit is explained whatever the reason says (handler failed, or retries exhausted)
            boolean explained = seq != null && plan.contains(seq) && plan.isPoison(seq)
                    && VerifyAccount.TYPE.name().equals(domain);
            if (seq != null && plan.contains(seq)) {
                deadLettered[(int) (long) seq]++;
            }
            if (explained) {
                expected++;
            } else {
                unexplained++;
                example("unexplained dead letter: " + reason + " in " + domain + (seq == null ? "" : ", deposit " + seq)
                        + " (" + error + ")");
            }
        }
        // The storm guard quarantines what it stops; the verifier's chain is two hops without loops, so nothing may be there.
        for (ConsumerRecord<byte[], byte[]> r : read(topology.stormTopic())) {
            total++;
            unexplained++;
            example("unexplained quarantined record in " + topology.stormTopic() + " with key " + key(r));
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

    private List<ConsumerRecord<byte[], byte[]>> read(String topic) throws TimeoutException {
        return TopicReader.readAll(bootstrap, List.of(topic), timeout);
    }

    private <T extends org.apache.avro.specific.SpecificRecord> T decode(ConsumerRecord<byte[], byte[]> r, Class<T> type,
                                                                           String where) {
        T value = decodeQuietly(r.value(), type);
        if (value == null) {
            inconsistent++;
            example("inconsistent: an undecodable record at " + where + " " + r.partition() + "@" + r.offset());
        }
        return value;
    }

    private <T extends org.apache.avro.specific.SpecificRecord> T decodeQuietly(byte[] value, Class<T> type) {
        try {
            return value == null ? null : codec.decode(value, type);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String key(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? "(no key)" : new String(r.key(), StandardCharsets.UTF_8);
    }
}
