package io.ved.tooling.deadletter;

import io.ved.tooling.text.JsonListing;
import io.ved.tooling.text.TextTable;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ved.runtime.deadletter.DeadLetter;
import io.ved.runtime.deadletter.DeadLetterReason;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What {@code ved dlq list} prints: a table (errors shortened to one readable line) or JSON (everything in
 * full), then a count by reason. Pure formatting, so it is tested without a broker.
 */
public final class DeadLetterListing {
    /** The width an error is cut to in the table. */
    public static final int ERROR_WIDTH = 72;
    private static final String[] HEADINGS = {"ID", "TIME", "DOMAIN", "TYPE", "REASON", "CORRELATION", "ERROR"};
    private static final Pattern LEADING_CLASS = Pattern.compile("((?:[a-z_$][\\w$]*\\.)+)([A-Z][\\w$]*): ?");
    private static final String CAUSED_BY = " <- caused by ";

    private DeadLetterListing() {
    }

    /**
     * The table of the newest {@code limit} of the given dead letters (all when {@code limit <= 0}), oldest first,
     * then the count by reason of all of them.
     *
     * @param scope what was listed, for the summary: "" or " of InventoryDomain"
     */
    public static String table(List<StoredDeadLetter> letters, int limit, String scope, List<DeadLetterId> unreadable) {
        StringBuilder out = new StringBuilder();
        if (letters.isEmpty()) {
            out.append("no dead letters").append(scope).append('\n');
        } else {
            List<StoredDeadLetter> shown = newest(letters, limit);
            List<String[]> rows = new ArrayList<>();
            rows.add(HEADINGS);
            shown.forEach(l -> rows.add(row(l)));
            out.append(TextTable.render(rows, ""));
            if (shown.size() < letters.size()) {
                out.append("(showing the newest ").append(shown.size()).append(" of ").append(letters.size())
                        .append("; --limit 0 shows all)\n");
            }
            out.append(summary(letters, scope)).append('\n');
        }
        if (!unreadable.isEmpty()) {
            out.append(unreadable.size()).append(unreadable.size() == 1 ? " record" : " records")
                    .append(" of the topic could not be read as dead letters (unknown ved_dlq_* headers): ")
                    .append(unreadable.stream().map(DeadLetterId::toString).collect(Collectors.joining(", "))).append('\n');
        }
        return out.toString();
    }

    /** "3 dead letters: 2 HANDLER_FAILED, 1 UNDECODABLE", the most frequent reason first. */
    public static String summary(List<StoredDeadLetter> letters, String scope) {
        String counts = byReason(letters).entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().name())
                .collect(Collectors.joining(", "));
        return letters.size() + (letters.size() == 1 ? " dead letter" : " dead letters") + scope + ": " + counts;
    }

    /** Reason -> how many, the most frequent first (ties in the reasons' declared order). */
    public static Map<DeadLetterReason, Long> byReason(List<StoredDeadLetter> letters) {
        Map<DeadLetterReason, Long> counts = new EnumMap<>(DeadLetterReason.class);
        letters.forEach(l -> counts.merge(l.letter().reason(), 1L, Long::sum));
        Map<DeadLetterReason, Long> ordered = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<DeadLetterReason, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return ordered;
    }

    /** The same listing as JSON: every field in full, errors untruncated. */
    public static String json(String topic, String domain, List<StoredDeadLetter> letters, int limit, List<DeadLetterId> unreadable) {
        ObjectNode root = JsonListing.root();
        root.put("topic", topic);
        if (domain == null) {
            root.putNull("domain");
        } else {
            root.put("domain", domain);
        }
        root.put("total", letters.size());
        List<StoredDeadLetter> shown = newest(letters, limit);
        root.put("shown", shown.size());
        ObjectNode counts = root.putObject("byReason");
        byReason(letters).forEach((reason, n) -> counts.put(reason.name(), n));
        ArrayNode array = root.putArray("deadLetters");
        for (StoredDeadLetter l : shown) {
            DeadLetter d = l.letter();
            ObjectNode o = array.addObject();
            o.put("id", l.id().toString());
            o.put("reason", d.reason().name());
            o.put("domain", d.domain());
            o.put("key", l.key().orElse(null));
            o.put("time", l.time().toString());
            o.put("messageType", l.messageType());
            o.put("messageId", l.messageId().map(Object::toString).orElse(null));
            o.put("correlationId", l.correlationId().orElse(null));
            o.put("error", d.error());
            o.put("attempts", d.attempts());
            ObjectNode origin = o.putObject("origin");
            origin.put("topic", d.topic());
            origin.put("partition", d.partition());
            origin.put("offset", d.offset());
        }
        return JsonListing.write(root, unreadable);
    }

    /**
     * An error on one line of at most {@code width} characters: the outermost exception only, its class without
     * the package (or dropped when it is only the carrier of a rejection, whose reason the table already shows).
     */
    public static String shortError(String error, int width) {
        if (error == null || error.isBlank()) {
            return "-";
        }
        int cause = error.indexOf(CAUSED_BY);
        String first = cause < 0 ? error : error.substring(0, cause);
        Matcher m = LEADING_CLASS.matcher(first);
        if (m.lookingAt()) {
            String rest = first.substring(m.end());
            first = m.group(2).equals("RejectedMessageException") ? rest : m.group(2) + ": " + rest;
        }
        first = first.replaceAll("\\s+", " ").strip();
        return first.length() <= width ? first : first.substring(0, Math.max(0, width - 3)) + "...";
    }

    private static List<StoredDeadLetter> newest(List<StoredDeadLetter> letters, int limit) {
        return limit <= 0 || letters.size() <= limit ? letters : letters.subList(letters.size() - limit, letters.size());
    }

    private static String[] row(StoredDeadLetter l) {
        return new String[] {
                l.id().toString(),
                l.time().truncatedTo(ChronoUnit.SECONDS).toString(),
                l.letter().domain(),
                l.simpleMessageType(),
                l.letter().reason().name(),
                l.correlationId().orElse("-"),
                shortError(l.letter().error(), ERROR_WIDTH)};
    }
}
