package io.ved.tooling.send;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of the send syntax: {@code "text"}, {@code 12}, {@code -1.5e3}, {@code true}, {@code null},
 * {@code CONFIRMED}, {@code [1, 2]} and {@code {street: "x", n: 1}}, plus the {@code name: value} lists
 * shared by the message's parentheses and a nested record's braces. Only the form is checked here; whether
 * a value fits its field is the schema's business ({@link ValueChecker}).
 */
final class ValueSyntax {
    private final TextCursor in;

    ValueSyntax(TextCursor in) {
        this.in = in;
    }

    /** {@code name: value, ...} up to the closing character, which is consumed; a trailing comma is allowed. */
    Map<String, Object> fields(char close) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (in.accept(close)) {
            return fields;
        }
        while (true) {
            String name = field(fields, close);
            if (in.accept(close)) {
                return fields;
            }
            if (!in.accept(',')) {
                throw in.expected("',' or '" + close + "' after the value of field '" + name + "'");
            }
            if (in.accept(close)) {
                return fields;
            }
        }
    }

    private String field(Map<String, Object> fields, char close) {
        in.peek();
        int column = in.column();
        String name = in.peek() == '"' ? string() : in.name();
        if (name == null) {
            throw in.expected("a field name or '" + close + "'");
        }
        in.expect(':', "after field name '" + name + "'");
        Object value = value("for field '" + name + "'");
        if (fields.containsKey(name)) {
            throw in.errorAt(column, "field '" + name + "' is given twice");
        }
        fields.put(name, value);
        return name;
    }

    /** One value; {@code context} finishes "expected a value ..." when there is none. */
    Object value(String context) {
        int c = in.peek();
        return switch (c) {
            case '"' -> string();
            case '[' -> array(context);
            case '{' -> record();
            default -> c == '-' || TextCursor.isDigit(c) ? number() : word(context);
        };
    }

    private Object word(String context) {
        String word = in.name();
        if (word == null) {
            throw in.expected("a value " + context);
        }
        return switch (word) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            case "null" -> null;
            default -> new Symbol(word);
        };
    }

    private List<Object> array(String context) {
        in.expect('[', context);
        List<Object> items = new ArrayList<>();
        if (in.accept(']')) {
            return items;
        }
        do {
            if (in.peek() == ']') {
                break;  // a trailing comma
            }
            items.add(value("in the array " + context));
        } while (in.accept(','));
        in.expect(']', "or ',' in the array " + context);
        return items;
    }

    private Map<String, Object> record() {
        in.expect('{', "");
        return fields('}');
    }

    private Object number() {
        int start = in.offset();
        in.acceptRaw('-');
        digits("after '-'");
        boolean decimal = false;
        if (in.acceptRaw('.')) {
            digits("after '.'");
            decimal = true;
        }
        if (in.acceptRaw('e') || in.acceptRaw('E')) {
            if (!in.acceptRaw('+')) {
                in.acceptRaw('-');
            }
            digits("in the exponent");
            decimal = true;
        }
        String literal = in.slice(start);
        return decimal ? new BigDecimal(literal) : SendRequest.integer(new BigInteger(literal));
    }

    private void digits(String context) {
        if (!TextCursor.isDigit(in.peekRaw())) {
            throw in.expected("a digit " + context);
        }
        while (TextCursor.isDigit(in.peekRaw())) {
            in.takeRaw();
        }
    }

    /** A double-quoted string with the JSON escapes; the cursor is on the opening quote. */
    String string() {
        int startColumn = in.column();
        in.expect('"', "");
        StringBuilder out = new StringBuilder();
        while (true) {
            int c = in.takeRaw();
            switch (c) {
                case TextCursor.END -> throw new SendSyntaxException(
                        "unterminated string starting at column " + startColumn + ": add the closing '\"'");
                case '"' -> {
                    return out.toString();
                }
                case '\\' -> out.append(escape());
                default -> out.append((char) c);
            }
        }
    }

    private char escape() {
        int column = in.column() - 1;
        int c = in.takeRaw();
        return switch (c) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '/' -> '/';
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'u' -> unicode(column);
            default -> throw in.errorAt(column, "unknown escape '\\" + (c == TextCursor.END ? "" : (char) c)
                    + "' in string (use \\\" \\\\ \\n \\t \\r or \\uXXXX)");
        };
    }

    private char unicode(int column) {
        int code = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(in.takeRaw(), 16);
            if (digit < 0) {
                throw in.errorAt(column, "expected 4 hex digits after '\\u' in string");
            }
            code = code * 16 + digit;
        }
        return (char) code;
    }
}
