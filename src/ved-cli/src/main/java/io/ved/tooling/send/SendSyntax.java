package io.ved.tooling.send;

import io.ved.api.DomainRef;
import java.util.Map;

/**
 * Reads the text of {@code ved send}:
 *
 * <pre>
 * InventoryDomain[88] ReleaseStock(item_id: "A12", qty: 1)
 * </pre>
 *
 * Values are described in {@link ValueSyntax}. Only the form is checked; {@link MessageBuilder} checks the
 * request against the domain and the message's schema.
 */
public final class SendSyntax {
    private final TextCursor in;
    private final ValueSyntax values;

    private SendSyntax(String text) {
        this.in = new TextCursor(text);
        this.values = new ValueSyntax(in);
    }

    /** @throws SendSyntaxException naming the column and what was expected there */
    public static SendRequest parse(String text) {
        return new SendSyntax(text == null ? "" : text).request();
    }

    private SendRequest request() {
        DomainRef target = target();
        String messageType = in.dottedName();
        if (messageType == null) {
            throw in.expected("a message type after " + target + ", e.g. ReleaseStock(...)");
        }
        in.expect('(', "after message type '" + messageType + "'");
        Map<String, Object> fields = values.fields(')');
        if (!in.atEnd()) {
            throw in.expected("nothing after the closing ')'");
        }
        return new SendRequest(target, messageType, fields);
    }

    /** Scans {@code Type[id]} for the column of a mistake, then lets DomainRef judge the id itself. */
    private DomainRef target() {
        String type = in.name();
        if (type == null) {
            throw in.expected("a domain address such as InventoryDomain[88]");
        }
        int start = in.offset() - type.length();
        if (!in.acceptRaw('[')) {
            throw in.expected("'[' right after domain type '" + type + "', as in " + type + "[id]");
        }
        int c;
        do {
            c = in.takeRaw();
        } while (c != ']' && c != TextCursor.END);
        if (c == TextCursor.END) {
            throw in.expected("']' to close the id of " + type + "[");
        }
        try {
            return DomainRef.parse(in.slice(start));
        } catch (IllegalArgumentException e) {
            throw new SendSyntaxException(e.getMessage() + " (at column " + (start + 1) + ")", e);
        }
    }
}
