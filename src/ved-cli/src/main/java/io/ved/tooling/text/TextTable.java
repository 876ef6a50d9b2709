package io.ved.tooling.text;

import java.util.List;

/** Rows of text in aligned columns, for the listings the CLI prints; the last column is not padded. */
public final class TextTable {
    private static final int GAP = 2;

    private TextTable() {
    }

    /**
     * @param rows   the heading first, then the rows; all of the same length
     * @param indent put before every line
     * @return one line per row, each ending in a newline, without trailing blanks
     */
    public static String render(List<String[]> rows, String indent) {
        int columns = rows.isEmpty() ? 0 : rows.getFirst().length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < columns; i++) {
                line.append(i == columns - 1 ? row[i] : pad(row[i], widths[i] + GAP));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** The text followed by blanks up to the width (never cut). */
    public static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
