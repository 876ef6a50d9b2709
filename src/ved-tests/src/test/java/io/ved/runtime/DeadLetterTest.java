package io.ved.runtime;

import static io.ved.testdomains.LedgerDomain.LEDGER;
import static org.assertj.core.api.Assertions.assertThat;

import io.ved.api.DomainRef;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.WireFormat;
import io.ved.runtime.deadletter.DeadLetter;
import io.ved.runtime.deadletter.DeadLetterReason;
import io.ved.testdomains.Append;
import io.ved.testdomains.LedgerDomain;
import io.ved.testdomains.LedgerState;
import io.ved.testdomains.Unwanted;
import io.ved.testkit.VedTestKit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every record that cannot be handled goes to the dead-letter topic with its original key, bytes and headers
 * and the reason, and the mailbox goes on with the next record.
 */
class DeadLetterTest {
    private static final DomainRef LEDGER_1 = LEDGER.ref("1");
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
    void garbageBytes() {
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
        DeadLetter dead = sendBadThenGood(garbage, headers("x-trace", "abc"));

        assertThat(dead.reason()).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(dead.error()).contains("magic byte");
        assertThat(dead.value()).isEqualTo(garbage);
        assertThat(EnvelopeHeaders.text(dead.originalHeaders(), "x-trace")).contains("abc");
    }

    @Test
    void unknownSchemaId() {
        byte[] framed = WireFormat.frame(4242, new byte[] {2, 4});
        DeadLetter dead = sendBadThenGood(framed, new RecordHeaders());

        assertThat(dead.reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
        assertThat(dead.error()).contains("unknown schema id 4242");
        assertThat(dead.value()).isEqualTo(framed);
    }

    @Test
    void aMessageTypeTheDomainDoesNotAccept() {
        byte[] unwanted = kit.encode(new Unwanted("hello"));
        DeadLetter dead = sendBadThenGood(unwanted, headers("ce_id", "m-unwanted"));

        assertThat(dead.reason()).isEqualTo(DeadLetterReason.UNKNOWN_MESSAGE_TYPE);
        assertThat(dead.error()).contains("LedgerDomain does not accept io.ved.testdomains.Unwanted");
        assertThat(dead.value()).isEqualTo(unwanted);
        assertThat(EnvelopeHeaders.text(dead.originalHeaders(), "ce_id")).contains("m-unwanted");
    }

    @Test
    void aHandlerThatThrowsOnEveryTry() {
        byte[] failing = kit.encode(new Append(99L, true, null));
        DeadLetter dead = sendBadThenGood(failing, headers("ce_id", "m-fail"));

        assertThat(dead.reason()).isEqualTo(DeadLetterReason.HANDLER_FAILED);
        assertThat(dead.attempts()).as("tried as often as the default retry policy allows").isEqualTo(3);
        assertThat(dead.error()).contains("IllegalStateException").contains("asked to fail on entry 99");
        assertThat(dead.value()).isEqualTo(failing);
        assertThat(EnvelopeHeaders.text(dead.originalHeaders(), "ce_id")).contains("m-fail");
        LedgerState ledger = kit.stateOf(LEDGER_1);
        assertThat(ledger.getEntries()).as("the failed message left no trace in the state").containsExactly(1L, 2L);
    }

    @Test
    void aRecordWithoutKey() {
        DeadLetter dead = sendBadThenGood(null, kit.encode(new Append(5L, false, null)), new RecordHeaders());
        assertThat(dead.reason()).isEqualTo(DeadLetterReason.NO_KEY);
        assertThat(dead.key()).isNull();
    }

    @Test
    void malformedEnvelopeHeaders() {
        DeadLetter dead = sendBadThenGood(kit.encode(new Append(5L, false, null)), headers("ce_hops", "many"));
        assertThat(dead.reason()).isEqualTo(DeadLetterReason.MALFORMED_ENVELOPE);
        assertThat(dead.error()).contains("ce_hops");
    }

    @Test
    void aHandlerThatSendsSomethingItDidNotDeclare() {
        DeadLetter dead = sendBadThenGood(kit.encode(new Append(5L, false, "NowhereDomain[1]")), new RecordHeaders());
        assertThat(dead.reason()).isEqualTo(DeadLetterReason.HANDLER_FAILED);
        assertThat(dead.error()).contains("does not declare that send");
    }

    private DeadLetter sendBadThenGood(byte[] badValue, Headers badHeaders) {
        return sendBadThenGood(LEDGER_1.id().getBytes(StandardCharsets.UTF_8), badValue, badHeaders);
    }

    /** Sends a good message, the bad record, then another good one: both good ones must be handled. */
    private DeadLetter sendBadThenGood(byte[] badKey, byte[] badValue, Headers badHeaders) {
        kit.send(LEDGER_1, new Append(1L, false, null));
        kit.sendRaw(LEDGER_1, badKey, badValue, badHeaders);
        kit.send(LEDGER_1, new Append(2L, false, null));
        kit.advanceTime(Duration.ofSeconds(2));   // past every retry of the default policy

        LedgerState ledger = kit.stateOf(LEDGER_1);
        assertThat(ledger.getEntries()).as("the mailbox went on past the bad record").containsExactly(1L, 2L);
        assertThat(kit.deadLetters()).hasSize(1);
        DeadLetter dead = kit.deadLetters().get(0);
        assertThat(dead.domain()).isEqualTo("LedgerDomain");
        assertThat(dead.topic()).isEqualTo("ledger.inbox");
        assertThat(dead.offset()).isEqualTo(1L);
        assertThat(dead.key()).isEqualTo(badKey);
        return dead;
    }

    private static Headers headers(String key, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
