package io.ved.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ved.api.CorrelationId;
import io.ved.api.DomainRef;
import io.ved.api.MessageId;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class EnvelopeHeadersTest {
    private static final DomainRef TARGET = DomainRef.parse("InventoryDomain[88]");
    private static final RecordPosition POSITION = new RecordPosition("inv", 2, 41L, 1_700_000_000_000L);

    @Test
    void aMessageWithoutHeadersGetsIdsDerivedFromItsPosition() {
        Envelope first = EnvelopeHeaders.readOnEntry(new RecordHeaders(), POSITION, TARGET, "x.ReleaseStock");
        Envelope again = EnvelopeHeaders.readOnEntry(new RecordHeaders(), POSITION, TARGET, "x.ReleaseStock");
        Envelope next = EnvelopeHeaders.readOnEntry(new RecordHeaders(),
                new RecordPosition("inv", 2, 42L, 1_700_000_000_000L), TARGET, "x.ReleaseStock");

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(next.id()).isNotEqualTo(first.id());
        assertThat(first.correlation().value()).isEqualTo(first.id().value());
        assertThat(first.causation()).isEmpty();
        assertThat(first.hops()).isZero();
        assertThat(first.time()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(first.sender()).isEmpty();
    }

    @Test
    void anEnvelopeSurvivesTheRoundTripThroughHeaders() {
        Envelope root = Envelope.root(new MessageId("m-1"), "x.PlaceOrder", "/cli", DomainRef.parse("BillingDomain[acme]"),
                Instant.parse("2026-03-01T10:00:00Z"), Optional.of(new CorrelationId("c-9")));
        Envelope child = root.child(new MessageId("m-2"), "x.ReserveStock", DomainRef.parse("BillingDomain[acme]"), TARGET,
                Instant.parse("2026-03-01T10:00:01Z"));
        RecordHeaders headers = new RecordHeaders();
        EnvelopeHeaders.write(child, headers);

        assertThat(EnvelopeHeaders.read(headers)).isEqualTo(child);
        assertThat(EnvelopeHeaders.readOnEntry(headers, POSITION, TARGET, "x.ReserveStock")).isEqualTo(child);
        assertThat(EnvelopeHeaders.text(headers, "ce_source")).contains("/ved/BillingDomain/acme");
        assertThat(child.sender()).contains(DomainRef.parse("BillingDomain[acme]"));
        assertThat(child.hops()).isEqualTo(1);
    }

    @Test
    void malformedHeadersAreNamed() {
        RecordHeaders headers = new RecordHeaders();
        EnvelopeHeaders.put(headers, EnvelopeHeaders.TIME, "yesterday");
        assertThatThrownBy(() -> EnvelopeHeaders.readOnEntry(headers, POSITION, TARGET, "x.T"))
                .isInstanceOf(MalformedEnvelopeException.class).hasMessageContaining("ce_time");

        RecordHeaders wrongType = new RecordHeaders();
        EnvelopeHeaders.put(wrongType, EnvelopeHeaders.TYPE, "x.Other");
        assertThatThrownBy(() -> EnvelopeHeaders.readOnEntry(wrongType, POSITION, TARGET, "x.T"))
                .isInstanceOf(MalformedEnvelopeException.class).hasMessageContaining("x.Other");
    }

    @Test
    void domainAddressesParseAndPrintInVedSyntax() {
        assertThat(DomainRef.parse("InventoryDomain[88]").id()).isEqualTo("88");
        assertThat(DomainRef.parse(" BillingDomain[acme-1] ").toString()).isEqualTo("BillingDomain[acme-1]");
        assertThatThrownBy(() -> DomainRef.parse("InventoryDomain(88)")).hasMessageContaining("write Type[id]");
        assertThat(SourceUri.parse(SourceUri.of(DomainRef.parse("X[a/b c]")))).contains(DomainRef.parse("X[a/b c]"));
    }
}
