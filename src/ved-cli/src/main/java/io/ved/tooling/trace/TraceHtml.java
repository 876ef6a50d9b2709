package io.ved.tooling.trace;

import io.ved.internal.TraceRecord;
import io.ved.tooling.trace.TraceFormat.Style;
import io.ved.tooling.trace.TraceTree.Node;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One self-contained HTML page that draws a causal tree: an inline SVG laid out here (no script, no fonts or
 * styles from the network), a box per message coloured by its last outcome, arrows from cause to effect, and
 * below it a table with every outcome and reason. Each message's box is an SVG group carrying
 * {@code data-message-id}; clicking it jumps to its row.
 */
public final class TraceHtml {
    private static final int WIDTH = 330;
    private static final int HEIGHT = 80;
    private static final int H_GAP = 26;
    private static final int V_GAP = 46;
    private static final int MARGIN = 16;
    private static final int CHARS = 45;

    private TraceHtml() {
    }

    public static String render(TraceTree tree) {
        List<Node> nodes = tree.inCausalOrder();
        Map<Node, int[]> at = layout(tree);
        int width = at.values().stream().mapToInt(p -> p[0]).max().orElse(0) + WIDTH + MARGIN;
        int height = at.values().stream().mapToInt(p -> p[1]).max().orElse(0) + HEIGHT + MARGIN;

        StringBuilder html = new StringBuilder(8192);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>Ved trace ").append(esc(tree.correlationId())).append("</title>\n")
                .append("<style>\n")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:24px;color:#222}\n")
                .append("h1{font-size:18px;margin:0 0 4px} p.sum{color:#555;margin:0 0 16px}\n")
                .append(".graph{overflow:auto;border:1px solid #ddd;border-radius:8px;background:#fcfcfc}\n")
                .append("svg text{font-size:12px;fill:#222} svg text.type{font-weight:bold;font-size:13px} svg text.meta{fill:#666;font-size:11px}\n")
                .append("svg .edge{fill:none;stroke:#888;stroke-width:1.4}\n")
                .append("svg .node rect{stroke-width:1.6} svg a:hover rect{stroke-width:3}\n");
        for (Style s : Style.values()) {
            html.append("svg .").append(s.css).append(" rect{fill:").append(s.fill).append(";stroke:").append(s.stroke)
                    .append(s == Style.UNTRACED ? ";stroke-dasharray:5 4" : "").append("}\n")
                    .append("tr.").append(s.css).append(" td.outcome{color:").append(s.stroke).append("}\n");
        }
        html.append("table{border-collapse:collapse;margin-top:20px;font-size:13px} td,th{border-bottom:1px solid #e4e4e4;padding:5px 8px;text-align:left;vertical-align:top}\n")
                .append("th{background:#f3f3f3} td.id{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px} tr:target{background:#fffbd6}\n")
                .append("</style>\n</head>\n<body>\n")
                .append("<h1>Correlation ").append(esc(tree.correlationId())).append("</h1>\n")
                .append("<p class=\"sum\">").append(tree.messageCount()).append(" message(s), ").append(tree.recordCount())
                .append(" trace record(s): ").append(esc(summary(tree))).append("</p>\n")
                .append("<div class=\"graph\">\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" role=\"img\" aria-label=\"causal graph\">\n")
                .append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">")
                .append("<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#888\"/></marker></defs>\n");
        for (Node n : nodes) {
            int[] from = at.get(n);
            for (Node c : n.children()) {
                int[] to = at.get(c);
                int x1 = from[0] + WIDTH / 2;
                int y1 = from[1] + HEIGHT;
                int x2 = to[0] + WIDTH / 2;
                int y2 = to[1];
                int mid = (y1 + y2) / 2;
                html.append("<path class=\"edge\" d=\"M").append(x1).append(',').append(y1).append(" C").append(x1).append(',').append(mid)
                        .append(' ').append(x2).append(',').append(mid).append(' ').append(x2).append(',').append(y2 - 1)
                        .append("\" marker-end=\"url(#arrow)\"/>\n");
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            int[] p = at.get(n);
            html.append("<a href=\"#row-").append(i).append("\">")
                    .append("<g class=\"node ").append(TraceFormat.styleOf(n).css).append("\" id=\"node-").append(i)
                    .append("\" data-message-id=\"").append(esc(n.messageId())).append("\" transform=\"translate(")
                    .append(p[0]).append(',').append(p[1]).append(")\">")
                    .append("<title>").append(esc(tooltip(n))).append("</title>")
                    .append("<rect width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" rx=\"8\"/>")
                    .append(text(18, "type", n.type()))
                    .append(text(36, null, n.from() + " → " + n.target()))
                    .append(text(53, null, n.outcomeSummary() + (n.handlingMicros() > 0 ? " · " + n.handlingMicros() + " µs" : "")))
                    .append(text(70, "meta", "hops " + n.hops() + " · " + position(n) + " · " + n.messageId()))
                    .append("</g></a>\n");
        }
        html.append("</svg>\n</div>\n");

        html.append("<table>\n<thead><tr><th>#</th><th>message</th><th>from → to</th><th>hops</th><th>sent</th><th>outcomes</th></tr></thead>\n<tbody>\n");
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            html.append("<tr id=\"row-").append(i).append("\" class=\"").append(TraceFormat.styleOf(n).css)
                    .append("\" data-message-id=\"").append(esc(n.messageId())).append("\">")
                    .append("<td>").append(i + 1).append("</td>")
                    .append("<td><b>").append(esc(n.type())).append("</b><br><span class=\"id\">").append(esc(n.messageId()))
                    .append("</span>").append(n.causationId().map(c -> "<br><small>caused by " + esc(c) + "</small>").orElse(""))
                    .append("</td><td>").append(esc(n.from())).append(" → ").append(esc(n.target())).append("</td>")
                    .append("<td>").append(n.hops()).append("</td>")
                    .append("<td>").append(n.traced() ? esc(TraceFormat.TIME.format(Instant.ofEpochMilli(n.recordTime()))) : "").append("</td>")
                    .append("<td class=\"outcome\">");
            if (!n.traced()) {
                html.append("no trace record yet (in a mailbox, handled where tracing is off, or a reply to outside Ved)");
            }
            for (TraceRecord r : n.records()) {
                html.append(esc(TraceFormat.outcomeLine(r))).append("<br>");
            }
            html.append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n<p class=\"sum\">Written by <code>ved trace --html</code>; no network needed to view it.</p>\n</body>\n</html>\n");
        return html.toString();
    }

    /** Top-left corner of each box: leaves take the next column, a parent sits centred over its children. */
    private static Map<Node, int[]> layout(TraceTree tree) {
        Map<Node, int[]> at = new HashMap<>();
        int[] nextColumn = {0};
        tree.roots().forEach(root -> place(root, 0, nextColumn, at));
        return at;
    }

    private static double place(Node node, int depth, int[] nextColumn, Map<Node, int[]> at) {
        double column;
        if (node.children().isEmpty()) {
            column = nextColumn[0]++;
        } else {
            double first = Double.NaN;
            double last = 0;
            for (Node child : node.children()) {
                last = place(child, depth + 1, nextColumn, at);
                if (Double.isNaN(first)) {
                    first = last;
                }
            }
            column = (first + last) / 2;
        }
        at.put(node, new int[]{MARGIN + (int) Math.round(column * (WIDTH + H_GAP)), MARGIN + depth * (HEIGHT + V_GAP)});
        return column;
    }

    private static String summary(TraceTree tree) {
        StringBuilder s = new StringBuilder();
        tree.outcomeCounts().forEach((k, v) -> s.append(s.isEmpty() ? "" : ", ").append(v).append(' ').append(k));
        return s.toString();
    }

    private static String position(Node n) {
        return n.records().isEmpty() ? "not handled yet"
                : "p" + n.records().get(0).getPartition() + "@" + n.records().get(0).getOffset();
    }

    private static String tooltip(Node n) {
        StringBuilder t = new StringBuilder();
        t.append(n.typeName()).append('\n').append(n.from()).append(" -> ").append(n.target()).append("\nmessage ")
                .append(n.messageId());
        n.causationId().ifPresent(c -> t.append("\ncaused by ").append(c));
        n.records().forEach(r -> t.append('\n').append(TraceFormat.outcomeLine(r)));
        return t.toString();
    }

    private static String text(int y, String css, String content) {
        return "<text x=\"10\" y=\"" + y + "\"" + (css == null ? "" : " class=\"" + css + "\"") + ">" + esc(fit(content)) + "</text>";
    }

    private static String fit(String text) {
        return text.length() <= CHARS ? text : text.substring(0, CHARS - 1) + "…";
    }

    static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
            }
        }
        return out.toString();
    }
}
