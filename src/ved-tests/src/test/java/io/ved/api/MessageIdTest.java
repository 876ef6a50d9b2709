package io.ved.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Derived ids must never change between releases: a replay, a redrive or a trace of an old record finds its
 * message by the id derived from its position. They are RFC 4122 version 3 UUIDs of the parts joined by U+001F.
 */
class MessageIdTest {

    @Test
    void aDerivedIdIsTheNameBasedUuidOfThePartsJoinedByUnitSeparators() {
        for (String[] parts : new String[][] {{"ved.inventory.inbox", "2", "40"}, {"only"}, {"ünïcode-topic", "0", "9"},
                {"", ""}, {"a\u001fb", "c"}}) {
            String joined = String.join("\u001f", parts);
            assertThat(MessageId.derivedFrom(parts).value())
                    .isEqualTo(UUID.nameUUIDFromBytes(joined.getBytes(StandardCharsets.UTF_8)).toString());
        }
    }

    @Test
    void theSamePartsGiveTheSameIdAndOthersAnother() {
        assertThat(MessageId.derivedFrom("t", "0", "1")).isEqualTo(MessageId.derivedFrom("t", "0", "1"))
                .isNotEqualTo(MessageId.derivedFrom("t", "0", "2"));
        assertThat(MessageId.derivedFrom("t", "0", "1").value())
                .as("a fixed id, so that a change of derivation cannot pass unnoticed")
                .isEqualTo("f50f3d1c-3777-3e76-9301-70c4edaea8c3");
    }

    @Test
    void aBlankIdIsRefused() {
        assertThatThrownBy(() -> new MessageId(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
