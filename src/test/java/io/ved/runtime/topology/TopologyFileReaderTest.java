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

    private static TopologyFile parse(String yaml) {
        return TopologyFileReader.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }
}
