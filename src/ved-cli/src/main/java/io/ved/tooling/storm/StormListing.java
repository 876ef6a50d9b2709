package io.ved.tooling.storm;

import io.ved.tooling.text.JsonListing;
import io.ved.tooling.text.TextTable;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ved.runtime.storm.Quarantine;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code ved storms} prints: the quarantined messages grouped by the loop they were part of (or by reason
 * for those stopped at the hop limit), each group with its loop, count, domains, message types, first and last
 * time, correlations and why, then its messages; or the same as JSON. Pure formatting, tested without a broker.
 */
public final class StormListing {
    private static final String[] HEADINGS = {"ID", "TIME", "TARGET", "TYPE", "HOPS", "CORRELATION"};

    private StormListing() {
    }

    public static String table(List<StoredQuarantine> messages, List<StormId> unreadable) {
        StringBuilder out = new StringBuilder();
        if (messages.isEmpty()) {
            out.append("no quarantined messages\n");
        }
        int loop = 0;
        for (Map.Entry<String, List<StoredQuarantine>> group : QuarantineStore.grouped(messages).entrySet()) {
            List<StoredQuarantine> list = group.getValue();
            StoredQuarantine first = list.getFirst();
            StoredQuarantine last = list.getLast();
            if (first.reason() == Quarantine.Reason.OSCILLATION) {
                out.append("LOOP ").append(++loop).append("  ").append(group.getKey()).append('\n');
            } else {
                out.append(first.reason().name()).append('\n');
            }
            Set<String> correlations = correlations(list);
            field(out, "quarantined", list.size() + (list.size() == 1 ? " message" : " messages") + " in "
                    + correlations.size() + (correlations.size() == 1 ? " correlation" : " correlations"));
            field(out, "domains", String.join(", ", distinct(list, true)));
            field(out, "message types", String.join(", ", distinct(list, false)));
            field(out, "first / last", first.time() + " / " + last.time());
            field(out, "why", last.quarantine().detail());
            field(out, "correlations", String.join(", ", correlations));
            List<String[]> rows = new ArrayList<>();
            rows.add(HEADINGS);
            list.forEach(q -> rows.add(new String[] {q.id().toString(), q.time().toString(), q.target(), q.simpleMessageType(),
                    Integer.toString(q.hops()), q.correlationId().orElse("-")}));
            out.append(TextTable.render(rows, "  "));
            out.append('\n');
        }
        if (!messages.isEmpty()) {
            out.append(summary(messages)).append('\n');
        }
        if (!unreadable.isEmpty()) {
            out.append(unreadable.size()).append(unreadable.size() == 1 ? " record" : " records")
                    .append(" of the topic could not be read as quarantined messages: ")
                    .append(unreadable.stream().map(StormId::toString).collect(Collectors.joining(", "))).append('\n');
        }
        return out.toString();
    }

    /** "3 quarantined messages: 2 in 1 loop (OSCILLATION), 1 HOP_LIMIT". */
    public static String summary(List<StoredQuarantine> messages) {
        Map<String, List<StoredQuarantine>> groups = QuarantineStore.grouped(messages);
        long loops = groups.values().stream().filter(g -> g.getFirst().reason() == Quarantine.Reason.OSCILLATION).count();
        long inLoops = messages.stream().filter(q -> q.reason() == Quarantine.Reason.OSCILLATION).count();
        List<String> parts = new ArrayList<>();
        if (inLoops > 0) {
            parts.add(inLoops + " in " + loops + (loops == 1 ? " loop" : " loops") + " (OSCILLATION)");
        }
        for (Quarantine.Reason reason : Quarantine.Reason.values()) {
            long n = messages.stream().filter(q -> q.reason() == reason).count();
            if (reason != Quarantine.Reason.OSCILLATION && n > 0) {
                parts.add(n + " " + reason.name());
            }
        }
        return messages.size() + (messages.size() == 1 ? " quarantined message: " : " quarantined messages: ") + String.join(", ", parts);
    }

    public static String json(String topic, List<StoredQuarantine> messages, List<StormId> unreadable) {
        ObjectNode root = JsonListing.root();
        root.put("topic", topic);
        root.put("total", messages.size());
        ArrayNode groups = root.putArray("groups");
        for (Map.Entry<String, List<StoredQuarantine>> group : QuarantineStore.grouped(messages).entrySet()) {
            List<StoredQuarantine> list = group.getValue();
            ObjectNode g = groups.addObject();
            g.put("reason", list.getFirst().reason().name());
            if (list.getFirst().reason() == Quarantine.Reason.OSCILLATION) {
                g.put("cycle", group.getKey());
            } else {
                g.putNull("cycle");
            }
            g.put("count", list.size());
            distinct(list, true).forEach(g.putArray("domains")::add);
            distinct(list, false).forEach(g.putArray("messageTypes")::add);
            g.put("first", list.getFirst().time().toString());
            g.put("last", list.getLast().time().toString());
            correlations(list).forEach(g.putArray("correlationIds")::add);
            ArrayNode array = g.putArray("messages");
            for (StoredQuarantine q : list) {
                Quarantine qq = q.quarantine();
                ObjectNode o = array.addObject();
                o.put("id", q.id().toString());
                o.put("time", q.time().toString());
                o.put("reason", qq.reason().name());
                o.put("detail", qq.detail());
                if (qq.cycle().isBlank()) {
                    o.putNull("cycle");
                } else {
                    o.put("cycle", qq.cycle());
                }
                o.put("repeats", qq.repeats());
                o.put("domain", qq.domain());
                o.put("target", q.target());
                o.put("key", q.key().orElse(null));
                o.put("messageType", q.messageType());
                o.put("messageId", q.messageId().map(Object::toString).orElse(null));
                o.put("correlationId", q.correlationId().orElse(null));
                o.put("causationId", q.causationId().orElse(null));
                o.put("hops", q.hops());
                ObjectNode origin = o.putObject("origin");
                origin.put("topic", qq.topic());
                origin.put("partition", qq.partition());
                origin.put("offset", qq.offset());
            }
        }
        return JsonListing.write(root, unreadable);
    }

    private static Set<String> correlations(List<StoredQuarantine> list) {
        Set<String> ids = new LinkedHashSet<>();
        list.forEach(q -> q.correlationId().ifPresent(ids::add));
        return ids;
    }

    private static List<String> distinct(List<StoredQuarantine> list, boolean domains) {
        Set<String> seen = new LinkedHashSet<>();
        list.forEach(q -> seen.addAll(domains ? q.domains() : q.messageTypes()));
        return List.copyOf(seen);
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append("  ").append(TextTable.pad(name + ":", 16)).append(value).append('\n');
    }
}
