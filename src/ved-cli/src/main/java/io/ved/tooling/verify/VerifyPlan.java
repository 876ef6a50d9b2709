package io.ved.tooling.verify;

import io.ved.tooling.verify.model.Deposit;
import java.util.BitSet;
import java.util.Random;

/**
 * Every deposit the driver will send, fixed up front from the seed: deposit {@code seq} goes to account
 * {@link #account(long)} with {@link #amount(long)}, is audited at {@link #audit(long)}, and may be poison. The
 * driver sends them in seq order, so the seqs of one account must be applied in increasing order.
 */
public final class VerifyPlan {
    private final int messages;
    private final int accounts;
    private final int audits;
    private final int[] accountOf;
    private final int[] amountOf;
    private final BitSet poison;

    public VerifyPlan(int messages, int accounts, int audits, int poisonCount, long seed) {
        this.messages = messages;
        this.accounts = accounts;
        this.audits = audits;
        this.accountOf = new int[messages];
        this.amountOf = new int[messages];
        this.poison = new BitSet(messages);
        Random random = new Random(seed);
        for (int seq = 0; seq < messages; seq++) {
            accountOf[seq] = random.nextInt(accounts);
            amountOf[seq] = 1 + random.nextInt(1000);
        }
        while (poison.cardinality() < poisonCount) {
            poison.set(random.nextInt(messages));
        }
    }

    public int messages() {
        return messages;
    }

    public int accounts() {
        return accounts;
    }

    public int audits() {
        return audits;
    }

    public int poisonCount() {
        return poison.cardinality();
    }

    public boolean isPoison(long seq) {
        return poison.get((int) seq);
    }

    public String account(long seq) {
        return accountId(accountOf[(int) seq]);
    }

    public int accountIndex(long seq) {
        return accountOf[(int) seq];
    }

    /** Each account's audits go to one audit instance, so their order there is checkable. */
    public String audit(long seq) {
        return auditId(accountOf[(int) seq] % audits);
    }

    public long amount(long seq) {
        return amountOf[(int) seq];
    }

    public Deposit deposit(long seq) {
        return new Deposit(seq, amount(seq), audit(seq), isPoison(seq));
    }

    public boolean contains(long seq) {
        return seq >= 0 && seq < messages;
    }

    public static String accountId(int index) {
        return "a-" + index;
    }

    public static String auditId(int index) {
        return "u-" + index;
    }
}
