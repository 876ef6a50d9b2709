package io.ved.tooling.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ved.internal.TraceOutcome;
import io.ved.internal.TraceRecord;
import io.ved.tooling.trace.TraceTree.Node;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The ways {@code ved trace} prints a causal tree: an indented text tree, JSON, Mermaid and Graphviz DOT. */
public final class TraceFormat {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private TraceFormat() {
    }

    /** The formats of {@code --format}. */
    public enum Kind {
        TREE, JSON, MERMAID, DOT
    }

    public static String render(TraceTree tree, Kind kind) {
        return switch (kind) {
            case TREE -> tree(tree);
            case JSON -> json(tree);
            case MERMAID -> mermaid(tree);
            case DOT -> dot(tree);
        };
    }

    // ---------------------------------------------------------------- text tree

    /**
     * The causal tree as text: per message a line {@code Type  from -> target  (hops n)}, its id and time, then a
     * line per outcome with where it sat (topic/partition@offset), when it was handled and how long the handler ran.
     */
    public static String tree(TraceTree tree) {
        StringBuilder out = new StringBuilder();
        out.append("Correlation ").append(tree.correlationId()).append(": ").append(tree.messageCount()).append(" message(s), ")
                .append(tree.recordCount()).append(" trace record(s); ").append(counts(tree.outcomeCounts())).append('\n');
        for (Node root : tree.roots()) {
            out.append('\n');
            node(out, root, "", "");
        }
        return out.toString();
    }

    private static String counts(Map<String, Integer> counts) {
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }

    private static void node(StringBuilder out, Node node, String lead, String indent) {
        out.append(lead).append(node.type()).append("  ").append(node.from()).append(" -> ").append(node.target())
                .append("  (hops ").append(node.hops()).append(")\n");
        String detail = indent + (node.children().isEmpty() ? "    " : "│   ");
        out.append(detail).append("id ").append(node.messageId());
        if (node.traced()) {
            out.append("  sent ").append(TIME.format(Instant.ofEpochMilli(node.recordTime())));
        }
        out.append('\n');
        if (!node.traced()) {
            out.append(detail).append("no trace record yet: still in a mailbox, handled where tracing is off, or a reply to outside Ved\n");
        }
        for (TraceRecord r : node.records()) {
            out.append(detail).append(outcomeLine(r)).append('\n');
        }
        List<Node> children = node.children();
        for (int i = 0; i < children.size(); i++) {
            boolean last = i == children.size() - 1;
            node(out, children.get(i), indent + (last ? "└── " : "├── "), indent + (last ? "    " : "│   "));
        }
    }

    /** {@code HANDLED  ved.billing.inbox/3@12  at 08:14:59.130 (+7 ms)  handler 312 µs  sent 1}, then the reason. */
    static String outcomeLine(TraceRecord r) {
        StringBuilder line = new StringBuilder();
        line.append(String.format("%-15s", r.getOutcome())).append("  ")
                .append(r.getTopic()).append('/').append(r.getPartition()).append('@').append(r.getOffset())
                .append("  at ").append(CLOCK.format(Instant.ofEpochMilli(r.getHandledTime())))
                .append(" (+").append(Math.max(0, r.getHandledTime() - r.getRecordTime())).append(" ms)");
        if (r.getOutcome() == TraceOutcome.HANDLED) {
            line.append("  handler ").append(r.getHandlingMicros()).append(" µs");
            if (!r.getSent().isEmpty()) {
                line.append("  sent ").append(r.getSent().size());
            }
        }
        if (r.getReason() != null) {
            line.append("  reason: ").append(r.getReason());
        }
        return line.toString();
    }

    // ---------------------------------------------------------------- JSON

    public static String json(TraceTree tree) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("correlation_id", tree.correlationId());
        doc.put("messages", tree.messageCount());
        doc.put("trace_records", tree.recordCount());
        ObjectNode outcomes = doc.putObject("outcomes");
        tree.outcomeCounts().forEach(outcomes::put);
        ArrayNode roots = doc.putArray("roots");
        tree.roots().forEach(r -> roots.add(jsonNode(r)));
        try {
            return JSON.writeValueAsString(doc) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode jsonNode(Node node) {
        ObjectNode n = JSON.createObjectNode();
        n.put("message_id", node.messageId());
        n.put("type", node.type());
        n.put("type_name", node.typeName());
        n.put("from", node.from());
        n.put("target", node.target());
        n.put("hops", node.hops());
        node.causationId().ifPresentOrElse(c -> n.put("causation_id", c), () -> n.putNull("causation_id"));
        n.put("traced", node.traced());
        if (node.traced()) {
            TraceRecord first = node.records().get(0);
            if (first.getSender() != null) {
                n.put("sender", first.getSender());
            }
            n.put("source", first.getSource());
            n.put("record_time", Instant.ofEpochMilli(node.recordTime()).toString());
        }
        ArrayNode outcomes = n.putArray("outcomes");
        for (TraceRecord r : node.records()) {
            ObjectNode o = outcomes.addObject();
            o.put("outcome", r.getOutcome().name());
            if (r.getReason() != null) {
                o.put("reason", r.getReason());
            }
            o.put("topic", r.getTopic());
            o.put("partition", r.getPartition());
            o.put("offset", r.getOffset());
            o.put("handled_time", Instant.ofEpochMilli(r.getHandledTime()).toString());
            o.put("handling_micros", r.getHandlingMicros());
            ArrayNode sent = o.putArray("sent");
            r.getSent().forEach(sent::add);
        }
        ArrayNode children = n.putArray("children");
        node.children().forEach(c -> children.add(jsonNode(c)));
        return n;
    }

    // ---------------------------------------------------------------- Mermaid

    public static String mermaid(TraceTree tree) {
        StringBuilder out = new StringBuilder("flowchart TD\n");
        List<Node> nodes = tree.inCausalOrder();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            out.append("  %% m").append(i).append(" = message ").append(n.messageId()).append('\n');
            out.append("  m").append(i).append("[\"").append(mermaidText(n.type())).append("<br/>")
                    .append(mermaidText(n.from() + " → " + n.target())).append("<br/>")
                    .append(mermaidText(n.outcomeSummary() + (n.handlingMicros() > 0 ? " · " + n.handlingMicros() + " µs" : "")))
                    .append("\"]\n");
        }
        for (int i = 0; i < nodes.size(); i++) {
            for (Node c : nodes.get(i).children()) {
                out.append("  m").append(i).append(" --> m").append(nodes.indexOf(c)).append('\n');
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            out.append("  class m").append(i).append(' ').append(styleOf(nodes.get(i)).css).append('\n');
        }
        for (Style s : Style.values()) {
            out.append("  classDef ").append(s.css).append(" fill:").append(s.fill).append(",stroke:").append(s.stroke)
                    .append(s == Style.UNTRACED ? ",stroke-dasharray:4 3" : "").append('\n');
        }
        return out.toString();
    }

    private static String mermaidText(String text) {
        return text.replace("&", "#amp;").replace("\"", "#quot;").replace("<", "#lt;").replace(">", "#gt;");
    }

    // ---------------------------------------------------------------- DOT

    public static String dot(TraceTree tree) {
        StringBuilder out = new StringBuilder();
        out.append("digraph ").append(dotString("correlation " + tree.correlationId())).append(" {\n")
                .append("  rankdir=TB;\n")
                .append("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n");
        for (Node n : tree.inCausalOrder()) {
            Style s = styleOf(n);
            out.append("  ").append(dotString(n.messageId())).append(" [label=")
                    .append(dotString(n.type() + "\n" + n.from() + " -> " + n.target() + "\n" + n.outcomeSummary()
                            + (n.handlingMicros() > 0 ? "  " + n.handlingMicros() + " µs" : "")))
                    .append(", fillcolor=\"").append(s.fill).append("\", color=\"").append(s.stroke).append('"')
                    .append(s == Style.UNTRACED ? ", style=\"rounded,filled,dashed\"" : "")
                    .append(", tooltip=").append(dotString("message " + n.messageId())).append("];\n");
        }
        for (Node n : tree.inCausalOrder()) {
            for (Node c : n.children()) {
                out.append("  ").append(dotString(n.messageId())).append(" -> ").append(dotString(c.messageId())).append(";\n");
            }
        }
        return out.append("}\n").toString();
    }

    private static String dotString(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }

    // ---------------------------------------------------------------- shared

    /** Colours by a message's last outcome. */
    enum Style {
        HANDLED("handled", "#e6f4ea", "#2e7d32"),
        DEAD_LETTERED("dead", "#fdecea", "#c62828"),
        WAITING("waiting", "#fff4e0", "#ef6c00"),
        QUARANTINED("quarantined", "#f3e5f5", "#6a1b9a"),
        UNTRACED("untraced", "#f5f5f5", "#9e9e9e");

        final String css;
        final String fill;
        final String stroke;

        Style(String css, String fill, String stroke) {
            this.css = css;
            this.fill = fill;
            this.stroke = stroke;
        }
    }

    static Style styleOf(Node node) {
        return node.lastOutcome().map(o -> switch (o) {
            case HANDLED -> Style.HANDLED;
            case DEAD_LETTERED -> Style.DEAD_LETTERED;
            case DEFERRED, RETRY_SCHEDULED -> Style.WAITING;
            case QUARANTINED -> Style.QUARANTINED;
            default -> Style.WAITING;
        }).orElse(Style.UNTRACED);
    }
}
