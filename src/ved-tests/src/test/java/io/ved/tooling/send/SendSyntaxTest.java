package io.ved.tooling.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ved.api.DomainRef;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The send syntax is read into a request; a mistake names its column and what was expected there. */
class SendSyntaxTest {

    @Test
    void readsTheDocExample() {
        SendRequest request = SendSyntax.parse("InventoryDomain[88] ReleaseStock(item_id: \"A12\", qty: 1)");

        assertThat(request.target()).isEqualTo(DomainRef.of("InventoryDomain", "88"));
        assertThat(request.messageType()).isEqualTo("ReleaseStock");
        assertThat(request.fields()).containsExactly(Map.entry("item_id", "A12"), Map.entry("qty", 1L));
    }

    @Test
    void keepsTheFieldsInTheOrderWritten() {
        SendRequest request = SendSyntax.parse("T[1] M(c: 1, a: 2, b: 3)");

        assertThat(request.fields().keySet()).containsExactly("c", "a", "b");
    }

    @Test
    void readsAMessageWithoutFieldsAndAFullName() {
        SendRequest request = SendSyntax.parse("  BillingDomain[acme]   io.ved.example.billing.CancelOrder( )  ");

        assertThat(request.target()).isEqualTo(DomainRef.of("BillingDomain", "acme"));
        assertThat(request.messageType()).isEqualTo("io.ved.example.billing.CancelOrder");
        assertThat(request.fields()).isEmpty();
    }

    @Test
    void readsEveryKindOfValue() {
        SendRequest request = SendSyntax.parse("T[x] M(s: \"a\", i: -12, big: 99999999999999999999, d: 1.5e3,"
                + " yes: true, no: false, none: null, status: CONFIRMED, list: [1, \"two\", [3]],"
                + " addr: {street: \"Main\", n: 1, \"odd key\": 2},)");

        Map<String, Object> address = new LinkedHashMap<>();
        address.put("street", "Main");
        address.put("n", 1L);
        address.put("odd key", 2L);
        assertThat(request.fields())
                .containsEntry("s", "a")
                .containsEntry("i", -12L)
                .containsEntry("big", new BigInteger("99999999999999999999"))
                .containsEntry("d", new BigDecimal("1.5e3"))
                .containsEntry("yes", true)
                .containsEntry("no", false)
                .containsEntry("none", null)
                .containsEntry("status", new Symbol("CONFIRMED"))
                .containsEntry("list", List.of(1L, "two", List.of(3L)))
                .containsEntry("addr", address);
    }

    @Test
    void readsStringEscapes() {
        SendRequest request = SendSyntax.parse("T[x] M(s: \"q\\\" b\\\\ n\\n t\\t u\\u00e9\")");

        assertThat(request.fields().get("s")).isEqualTo("q\" b\\ n\n t\t u\u00e9");
    }

    @Test
    void readsEmptyArraysAndRecords() {
        SendRequest request = SendSyntax.parse("T[x] M(a: [], r: {})");

        assertThat(request.fields()).containsEntry("a", List.of()).containsEntry("r", Map.of());
    }

    @Test
    void aMissingColonNamesTheFieldAndColumn() {
        String text = "InventoryDomain[88] ReleaseStock(item_id: \"A12\", qty 1)";
        assertThatThrownBy(() -> SendSyntax.parse(text))
                .isInstanceOf(SendSyntaxException.class)
                .hasMessage("expected ':' after field name 'qty' at column 54 (found '1')");
    }

    @Test
    void aMissingCommaNamesThePreviousField() {
        assertThatThrownBy(() -> SendSyntax.parse("T[1] M(a: 1 b: 2)"))
                .hasMessage("expected ',' or ')' after the value of field 'a' at column 13 (found 'b')");
    }

    @Test
    void aMissingValueIsReported() {
        assertThatThrownBy(() -> SendSyntax.parse("T[1] M(a: )"))
                .hasMessage("expected a value for field 'a' at column 11 (found ')')");
    }

    @Test
    void anUnclosedMessageIsReported() {
        assertThatThrownBy(() -> SendSyntax.parse("T[1] M(a: 1"))
                .hasMessage("expected ',' or ')' after the value of field 'a' at column 12 (found end of input)");
    }

    @Test
    void aMissingMessageTypeIsReported() {
        assertThatThrownBy(() -> SendSyntax.parse("InventoryDomain[88]"))
                .hasMessage("expected a message type after InventoryDomain[88], e.g. ReleaseStock(...) at column 20 (found end of input)");
    }

    @Test
    void aMissingParenthesisIsReported() {
        assertThatThrownBy(() -> SendSyntax.parse("T[1] Restock qty: 1"))
                .hasMessage("expected '(' after message type 'Restock' at column 14 (found 'qty')");
    }

    @Test
    void aBadAddressIsReported() {
        assertThatThrownBy(() -> SendSyntax.parse("InventoryDomain ReleaseStock()"))
                .hasMessage("expected '[' right after domain type 'InventoryDomain', as in InventoryDomain[id]"
                        + " at column 17 (found 'ReleaseStock')");
        assertThatThrownBy(() -> SendSyntax.parse("InventoryDomain[88 ReleaseStock()"))
                .hasMessage("expected ']' to close the id of InventoryDomain[ at column 34 (found end of input)");
        assertThatThrownBy(() -> SendSyntax.parse("(qty: 1)"))
                .hasMessage("expected a domain address such as InventoryDomain[88] at column 1 (found '(')");
        assertThatThrownBy(() -> SendSyntax.parse("InventoryDomain[ ] ReleaseStock()"))
                .hasMessageStartingWith("a domain id must not be blank");
    }

    @Test
    void textAfterTheMessageIsReported() {
        assertThatThrownBy(() -> SendSyntax.parse("T[1] M(a: 1) extra"))
                .hasMessage("expected nothing after the closing ')' at column 14 (found 'extra')");
    }

    @Test
    void aFieldGivenTwiceIsReported() {
        assertThatThrownBy(() -> SendSyntax.parse("T[1] M(a: 1, a: 2)"))
                .hasMessage("field 'a' is given twice at column 14");
    }

    @Test
    void anUnterminatedStringIsReported() {
        assertThatThrownBy(() -> SendSyntax.parse("T[1] M(s: \"abc)"))
                .hasMessage("unterminated string starting at column 11: add the closing '\"'");
    }

    @Test
    void anUnknownEscapeIsReported() {
        assertThatThrownBy(() -> SendSyntax.parse("T[1] M(s: \"a\\qb\")"))
                .hasMessage("unknown escape '\\q' in string (use \\\" \\\\ \\n \\t \\r or \\uXXXX) at column 13");
        assertThatThrownBy(() -> SendSyntax.parse("T[1] M(s: \"\\u00g1\")"))
                .hasMessage("expected 4 hex digits after '\\u' in string at column 12");
    }

    @Test
    void aBadNumberIsReported() {
        assertThatThrownBy(() -> SendSyntax.parse("T[1] M(n: 1.)"))
                .hasMessage("expected a digit after '.' at column 13 (found ')')");
        assertThatThrownBy(() -> SendSyntax.parse("T[1] M(n: -x)"))
                .hasMessage("expected a digit after '-' at column 12 (found 'x')");
    }

    @Test
    void anUnclosedArrayIsReported() {
        assertThatThrownBy(() -> SendSyntax.parse("T[1] M(l: [1, 2)"))
                .hasMessage("expected ']' or ',' in the array for field 'l' at column 16 (found ')')");
    }

    @Test
    void nullTextIsAnEmptyLine() {
        assertThatThrownBy(() -> SendSyntax.parse(null))
                .hasMessage("expected a domain address such as InventoryDomain[88] at column 1 (found end of input)");
    }
}
