package io.ved.runtime.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ved.api.DomainType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TopologyFileReaderTest {

    @Test
    void theExampleFileGivesEachDomainItsInboxAndTheDefaults() {
        TopologyFile file = TopologyFileReader.readResource("ved/topology/example.yaml");
        assertThat(file.application()).isEqualTo("ved-example");
        assertThat(file.deadLetterTopic()).isEqualTo("ved-example.deadletters");
        DomainTopic inventory = file.require(DomainType.named("InventoryDomain"));
        assertThat(inventory.topic()).isEqualTo("ved.inventory.inbox");
        assertThat(inventory.partitions()).isEqualTo(6);
        assertThat(inventory.retentionMs()).isEqualTo(604_800_000L);
    }

    @Test
    void aDomainSettingOverridesTheDefaultsAndTopicsDefaultFromTheApplication() {
        TopologyFile file = parse("""
                application: shop
                defaults: {partitions: 4}
                domains:
                  - {type: CartDomain, topic: cart.inbox, partitions: 12, replicationFactor: 3}
                """);
        assertThat(file.require(DomainType.named("CartDomain")).partitions()).isEqualTo(12);
        assertThat(file.require(DomainType.named("CartDomain")).replicationFactor()).isEqualTo((short) 3);
        assertThat(file.deadLetterTopic()).isEqualTo("shop.deadletters");
        assertThat(file.replyTopic()).isEqualTo("shop.replies");
    }

    @Test
    void aMisspeltKeyIsRefusedWithItsPath() {
        assertThatThrownBy(() -> parse("""
                application: shop
                domains:
                  - type: CartDomain
                    topic: cart.inbox
                    partitons: 3
                """)).isInstanceOf(TopologyFileException.class).hasMessageContaining("Unrecognized field \"partitons\"").hasMessageContaining("at domains[0].partitons");
    }

    @Test
    void missingPiecesAreNamed() {
        assertThatThrownBy(() -> parse("domains: [{type: CartDomain, topic: cart.inbox}]"))
                .hasMessageContaining("'application' is missing");
        assertThatThrownBy(() -> parse("application: shop\ndomains: [{type: CartDomain}]"))
                .hasMessageContaining("'CartDomain.topic' is missing");
        assertThatThrownBy(() -> parse("application: shop\ndomains: [{type: CartDomain, topic: 'bad topic'}]"))
                .hasMessageContaining("not a valid Kafka topic name");
        assertThatThrownBy(() -> parse("application: shop\ndomains: [{type: C, topic: a}, {type: C, topic: b}]"))
                .hasMessageContaining("listed twice");
    }

    @Test
    void retryHandlerTimeoutAndTraceComeFromDefaultsOrTheDomain() {
        TopologyFile file = TopologyFileReader.readResource("topology/flaky.yaml");
        DomainPolicy flaky = file.require(DomainType.named("FlakyDomain")).policy();
        DomainPolicy once = file.require(DomainType.named("OnceDomain")).policy();
        assertThat(flaky.retry()).isEqualTo(new RetryPolicy(4, java.time.Duration.ofMillis(100), java.time.Duration.ofMillis(400)));
        assertThat(flaky.handlerTimeout()).isEqualTo(java.time.Duration.ofSeconds(1));
        assertThat(flaky.trace()).isTrue();
        assertThat(once.retry().maxAttempts()).isEqualTo(1);
        assertThat(once.trace()).isFalse();
        assertThat(flaky.retry().delayAfter(1)).isEqualTo(java.time.Duration.ofMillis(100));
        assertThat(flaky.retry().delayAfter(3)).isEqualTo(java.time.Duration.ofMillis(400));
        assertThat(flaky.retry().delayAfter(10)).isEqualTo(java.time.Duration.ofMillis(400));
        assertThatThrownBy(() -> parse("application: a\ndomains: [{type: X, topic: x, retry: {maxAttempts: 0}}]"))
                .hasMessageContaining("retry.maxAttempts must be at least 1");
    }

    @Test
    void handlersRunOnTheStreamThreadUnlessADomainAsksForASeparateOne() {
        TopologyFile file = parse("application: a\ndefaults: {handlerThread: Stream}\n"
                + "domains: [{type: X, topic: x}, {type: Y, topic: y, handlerThread: separate}]");
        assertThat(file.require(DomainType.named("X")).policy().handlerThread()).isEqualTo(HandlerThread.STREAM);
        assertThat(file.require(DomainType.named("Y")).policy().handlerThread()).isEqualTo(HandlerThread.SEPARATE);
        assertThat(parse("application: a\ndomains: [{type: X, topic: x}]").require(DomainType.named("X")).policy()
                .handlerThread()).isEqualTo(HandlerThread.STREAM);
        assertThatThrownBy(() -> parse("application: a\ndomains: [{type: X, topic: x, handlerThread: own}]"))
                .isInstanceOf(TopologyFileException.class)
                .hasMessageContaining("X: handlerThread 'own' is not one of: stream")
                .hasMessageContaining("separate");
    }

    private static TopologyFile parse(String yaml) {
        return TopologyFileReader.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }
}
