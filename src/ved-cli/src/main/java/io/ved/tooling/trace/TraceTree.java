package io.ved.tooling.trace;

import io.ved.internal.TraceOutcome;
import io.ved.internal.TraceRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The causal tree of one correlation, built from its trace records: a node per message (several records when a
 * message had several outcomes, e.g. RETRY_SCHEDULED then HANDLED), linked to the message whose handling sent
 * it (its causation id). A root has no causation id, or one that is not in the trace (the cause ran where
 * tracing is off). A message that a handled one sent but that has no trace record of its own yet (still in a
 * mailbox, handled by a domain type whose tracing is off, or a reply to a sender outside Ved) is a node too,
 * known only by its id. Children are in the order their parent sent them.
 */
public final class TraceTree {
    private final String correlationId;
    private final List<Node> roots;
    private final Map<String, Node> byId;
    private final int recordCount;

    private TraceTree(String correlationId, List<Node> roots, Map<String, Node> byId, int recordCount) {
        this.correlationId = correlationId;
        this.roots = List.copyOf(roots);
        this.byId = byId;
        this.recordCount = recordCount;
    }

    /** One message of the correlation. */
    public static final class Node {
        private final String messageId;
        private final List<TraceRecord> records = new ArrayList<>();
        private final List<Node> children = new ArrayList<>();
        private Node parent;
        private int firstSeen;

        Node(String messageId, int firstSeen) {
            this.messageId = messageId;
            this.firstSeen = firstSeen;
        }

        public String messageId() {
            return messageId;
        }

        /** Its trace records in the order they were written; empty when it has none (see the class comment). */
        public List<TraceRecord> records() {
            return Collections.unmodifiableList(records);
        }

        public List<Node> children() {
            return Collections.unmodifiableList(children);
        }

        public Optional<Node> parent() {
            return Optional.ofNullable(parent);
        }

        public boolean traced() {
            return !records.isEmpty();
        }

        private Optional<TraceRecord> first() {
            return records.isEmpty() ? Optional.empty() : Optional.of(records.get(0));
        }

        /** The full Avro name of its type, or "?" when it has no trace record. */
        public String typeName() {
            return first().map(TraceRecord::getMessageType).orElse("?");
        }

        /** The short name of its type: {@code PlaceOrder}. */
        public String type() {
            String full = typeName();
            return full.substring(full.lastIndexOf('.') + 1);
        }

        /** Who sent it: the sending domain, else the outside source. */
        public String from() {
            return first().map(r -> r.getSender() != null ? r.getSender() : r.getSource())
                    .orElseGet(() -> parent == null ? "?" : parent.target());
        }

        public String target() {
            return first().map(TraceRecord::getTarget).orElse("?");
        }

        public int hops() {
            return first().map(TraceRecord::getHops).orElseGet(() -> parent == null ? 0 : parent.hops() + 1);
        }

        public Optional<String> causationId() {
            return first().map(TraceRecord::getCausationId).or(() -> Optional.ofNullable(parent).map(Node::messageId));
        }

        /** The message's own time (when it was sent), epoch millis; 0 when unknown. */
        public long recordTime() {
            return first().map(TraceRecord::getRecordTime).orElse(0L);
        }

        /** The last outcome; empty when it has no trace record. */
        public Optional<TraceOutcome> lastOutcome() {
            return records.isEmpty() ? Optional.empty() : Optional.of(records.get(records.size() - 1).getOutcome());
        }

        /** Its outcomes in order, repeats folded: {@code RETRY_SCHEDULED x2 -> HANDLED}; "no trace record" when none. */
        public String outcomeSummary() {
            if (records.isEmpty()) {
                return "no trace record";
            }
            List<String> parts = new ArrayList<>();
            TraceOutcome last = null;
            int run = 0;
            for (TraceRecord r : records) {
                if (r.getOutcome() == last) {
                    run++;
                    continue;
                }
                if (last != null) {
                    parts.add(run > 1 ? last + " x" + run : last.toString());
                }
                last = r.getOutcome();
                run = 1;
            }
            parts.add(run > 1 ? last + " x" + run : last.toString());
            return String.join(" -> ", parts);
        }

        /** Microseconds the handler ran, summed over its tries. */
        public long handlingMicros() {
            return records.stream().mapToLong(TraceRecord::getHandlingMicros).sum();
        }

        /** Ids it sent, in send order (from its HANDLED records). */
        List<String> sentIds() {
            List<String> ids = new ArrayList<>();
            records.forEach(r -> r.getSent().stream().filter(id -> !ids.contains(id)).forEach(ids::add));
            return ids;
        }

        private Node copyWithout() {
            Node copy = new Node(messageId, firstSeen);
            copy.records.addAll(records);
            return copy;
        }
    }

    /** Builds the tree from the correlation's trace records, in the order they were written. */
    public static TraceTree build(String correlationId, List<TraceRecord> records) {
        Map<String, Node> byId = new LinkedHashMap<>();
        int seen = 0;
        for (TraceRecord r : records) {
            int index = seen++;
            byId.computeIfAbsent(r.getMessageId(), id -> new Node(id, index)).records.add(r);
        }
        Map<String, Node> senderOfUntraced = new HashMap<>();
        for (Node node : List.copyOf(byId.values())) {
            for (String sentId : node.sentIds()) {
                if (!byId.containsKey(sentId)) {
                    Node untraced = new Node(sentId, node.firstSeen);
                    byId.put(sentId, untraced);
                    senderOfUntraced.put(sentId, node);
                }
            }
        }
        List<Node> roots = new ArrayList<>();
        for (Node node : byId.values()) {
            Node parent = node.traced()
                    ? Optional.ofNullable(node.records.get(0).getCausationId()).map(byId::get).orElse(null)
                    : senderOfUntraced.get(node.messageId);
            if (parent == null || isAncestor(node, parent)) {
                roots.add(node);
            } else {
                node.parent = parent;
                parent.children.add(node);
            }
        }
        byId.values().forEach(n -> {
            List<String> sent = n.sentIds();
            n.children.sort(Comparator.comparingInt((Node c) -> sent.contains(c.messageId) ? sent.indexOf(c.messageId) : Integer.MAX_VALUE)
                    .thenComparingInt(c -> c.firstSeen));
        });
        roots.sort(Comparator.comparingInt(n -> n.firstSeen));
        return new TraceTree(correlationId, roots, byId, records.size());
    }

    /** Whether {@code candidate} is {@code node} or below it (a cycle in the causation ids, which only bad data makes). */
    private static boolean isAncestor(Node node, Node candidate) {
        for (Node n = candidate; n != null; n = n.parent) {
            if (n == node) {
                return true;
            }
        }
        return false;
    }

    public String correlationId() {
        return correlationId;
    }

    public List<Node> roots() {
        return roots;
    }

    /** Every message, in causal order: each root, then depth first in send order. */
    public List<Node> inCausalOrder() {
        List<Node> order = new ArrayList<>();
        roots.forEach(r -> collect(r, order));
        return order;
    }

    private static void collect(Node node, List<Node> into) {
        into.add(node);
        node.children.forEach(c -> collect(c, into));
    }

    public int messageCount() {
        return inCausalOrder().size();
    }

    public int recordCount() {
        return recordCount;
    }

    /** How many messages ended in each outcome (by their last outcome), in outcome order. */
    public Map<String, Integer> outcomeCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (TraceOutcome o : TraceOutcome.values()) {
            int n = (int) inCausalOrder().stream().filter(m -> m.lastOutcome().orElse(null) == o).count();
            if (n > 0) {
                counts.put(o.name(), n);
            }
        }
        int untraced = (int) inCausalOrder().stream().filter(m -> !m.traced()).count();
        if (untraced > 0) {
            counts.put("NO_TRACE_RECORD", untraced);
        }
        return counts;
    }

    /**
     * The message with this id, or the only one whose id starts with it.
     *
     * @throws IllegalArgumentException naming the correlation when there is none, or several
     */
    public Node find(String idOrPrefix) {
        Node exact = byId.get(idOrPrefix);
        if (exact != null) {
            return exact;
        }
        List<Node> matches = byId.values().stream().filter(n -> n.messageId.startsWith(idOrPrefix)).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("message " + idOrPrefix + " is not in correlation " + correlationId
                    + " (its " + byId.size() + " message(s): " + String.join(", ", byId.keySet()) + ")");
        }
        throw new IllegalArgumentException("'" + idOrPrefix + "' starts " + matches.size() + " message ids of correlation "
                + correlationId + ": give more of it");
    }

    /** Only the chain from the root down to one message (not what that message sent). */
    public TraceTree chainTo(Node target) {
        List<Node> path = new ArrayList<>();
        for (Node n = target; n != null; n = n.parent) {
            path.add(0, n);
        }
        Map<String, Node> copies = new LinkedHashMap<>();
        Node previous = null;
        Node root = null;
        for (Node n : path) {
            Node copy = n.copyWithout();
            copies.put(copy.messageId, copy);
            if (previous == null) {
                root = copy;
            } else {
                copy.parent = previous;
                previous.children.add(copy);
            }
            previous = copy;
        }
        int records = copies.values().stream().mapToInt(n -> n.records.size()).sum();
        return new TraceTree(correlationId, List.of(root), copies, records);
    }
}
