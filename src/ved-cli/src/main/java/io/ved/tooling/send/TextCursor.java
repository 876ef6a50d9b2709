package io.ved.tooling.send;

/**
 * A read position in one line of send text. Token methods skip blanks first; raw methods do not, for the
 * inside of literals. Errors name the 1-based column of the token that was wrong, since the user retypes
 * the line and needs to find the spot.
 */
final class TextCursor {
    static final int END = -1;

    private final String text;
    private int pos;

    TextCursor(String text) {
        this.text = text;
    }

    int offset() {
        return pos;
    }

    int column() {
        return pos + 1;
    }

    String slice(int from) {
        return text.substring(from, pos);
    }

    /** The next character after blanks, without taking it; {@link #END} at the end. */
    int peek() {
        skipBlanks();
        return peekRaw();
    }

    int peekRaw() {
        return pos < text.length() ? text.charAt(pos) : END;
    }

    /** Takes the next character, blanks included; {@link #END} at the end. */
    int takeRaw() {
        int c = peekRaw();
        if (c != END) {
            pos++;
        }
        return c;
    }

    boolean acceptRaw(char c) {
        if (peekRaw() == c) {
            pos++;
            return true;
        }
        return false;
    }

    boolean accept(char c) {
        skipBlanks();
        return acceptRaw(c);
    }

    void expect(char c, String context) {
        if (!accept(c)) {
            throw expected("'" + c + "' " + context);
        }
    }

    /** A name such as {@code qty} or {@code CONFIRMED}, or null if none starts here. */
    String name() {
        skipBlanks();
        if (!isNameStart(peekRaw())) {
            return null;
        }
        int start = pos;
        while (isNamePart(peekRaw())) {
            pos++;
        }
        return slice(start);
    }

    /** A name with dots, such as {@code io.ved.example.inventory.ReleaseStock}, or null. */
    String dottedName() {
        String first = name();
        if (first == null) {
            return null;
        }
        StringBuilder name = new StringBuilder(first);
        while (peekRaw() == '.' && pos + 1 < text.length() && isNameStart(text.charAt(pos + 1))) {
            pos++;
            name.append('.').append(name());
        }
        return name.toString();
    }

    boolean atEnd() {
        return peek() == END;
    }

    /** "expected X at column N (found Y)", pointing at the next token. */
    SendSyntaxException expected(String what) {
        skipBlanks();
        return new SendSyntaxException("expected " + what + " at column " + column() + " (found " + found() + ")");
    }

    SendSyntaxException errorAt(int column, String message) {
        return new SendSyntaxException(message + " at column " + column);
    }

    private String found() {
        int c = peekRaw();
        if (c == END) {
            return "end of input";
        }
        int end = pos + 1;
        if (isNamePart(c)) {
            while (end < text.length() && isNamePart(text.charAt(end))) {
                end++;
            }
        }
        return "'" + text.substring(pos, end) + "'";
    }

    private void skipBlanks() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    static boolean isNameStart(int c) {
        return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    static boolean isNamePart(int c) {
        return isNameStart(c) || isDigit(c);
    }

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }
}
