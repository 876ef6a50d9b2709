package io.ved.runtime;

import static io.ved.testdomains.LedgerDomain.AUDIT;
import static io.ved.testdomains.LedgerDomain.LEDGER;
import static org.assertj.core.api.Assertions.assertThat;

import io.ved.api.DomainRef;
import io.ved.testdomains.Append;
import io.ved.testdomains.LedgerDomain;
import io.ved.testdomains.LedgerState;
import io.ved.testkit.VedTestKit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A mailbox hands an instance its messages one at a time, in the order they were sent. */
class MailboxOrderTest {
    private VedTestKit kit;

    @BeforeEach
    void start() {
        kit = VedTestKit.of("topology/ledger.yaml", LedgerDomain.ledger(), LedgerDomain.audit());
    }

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void aThousandMessagesToOneInstanceAreAppliedInSendOrder() {
        DomainRef one = LEDGER.ref("one");
        for (long seq = 1; seq <= 1000; seq++) {
            kit.send(one, new Append(seq, false, null));
        }
        LedgerState ledger = kit.stateOf(one);
        assertThat(ledger.getEntries()).containsExactlyElementsOf(LongStream.rangeClosed(1, 1000).boxed().toList());
    }

    @Test
    void messagesToDifferentInstancesInterleaveWhileEachKeepsItsOwnOrder() {
        List<DomainRef> instances = List.of(LEDGER.ref("a"), LEDGER.ref("b"), LEDGER.ref("c"));
        List<List<Long>> expected = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (long seq = 0; seq < 300; seq++) {
            int which = (int) ((seq * 7) % 3);
            kit.send(instances.get(which), new Append(seq, false, null));
            expected.get(which).add(seq);
        }
        for (int i = 0; i < instances.size(); i++) {
            LedgerState ledger = kit.stateOf(instances.get(i));
            assertThat(ledger.getEntries()).as("entries of %s", instances.get(i)).containsExactlyElementsOf(expected.get(i));
        }
    }

    @Test
    void sendsFromOneHandlerArriveInTheOrderTheyWereSent() {
        DomainRef source = LEDGER.ref("source");
        DomainRef sink = AUDIT.ref("sink");
        for (long seq = 1; seq <= 50; seq++) {
            kit.send(source, new Append(seq, false, sink.toString()));
        }
        LedgerState audit = kit.stateOf(sink);
        assertThat(audit.getEntries()).containsExactlyElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
    }
}
