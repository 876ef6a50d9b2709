package io.ved.tooling.replay;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Field-level differences between two states as plain JSON ({@link io.ved.envelope.AvroJson#toJson}): one change
 * per leaf that differs, named by its path ({@code reservations.o-1}, {@code lines[2].qty}). Arrays of different
 * lengths are reported whole.
 */
public final class StateDiff {
    private StateDiff() {
    }

    /** One difference; {@code before}/{@code after} are null when the field is absent on that side. */
    public record Change(String path, JsonNode before, JsonNode after) {
        /** {@code path: before -> after}. */
        public String describe() {
            return (path.isEmpty() ? "(whole state)" : path) + ": " + text(before) + " -> " + text(after);
        }

        /** {@code path: replay X, live Y}. */
        public String describe(String beforeName, String afterName) {
            return (path.isEmpty() ? "(whole state)" : path) + ": " + text(before) + " (" + beforeName + ") vs " + text(after)
                    + " (" + afterName + ")";
        }
    }

    public static List<Change> between(JsonNode before, JsonNode after) {
        List<Change> changes = new ArrayList<>();
        diff("", before, after, changes);
        return changes;
    }

    private static void diff(String path, JsonNode a, JsonNode b, List<Change> into) {
        if (a != null && a.equals(b)) {
            return;
        }
        if (a != null && b != null && a.isObject() && b.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                diff(path.isEmpty() ? name : path + "." + name, a.get(name), b.get(name), into);
            }
            return;
        }
        if (a != null && b != null && a.isArray() && b.isArray() && a.size() == b.size()) {
            Iterator<JsonNode> left = a.elements();
            Iterator<JsonNode> right = b.elements();
            for (int i = 0; left.hasNext(); i++) {
                diff(path + "[" + i + "]", left.next(), right.next(), into);
            }
            return;
        }
        if (a == null && b == null) {
            return;
        }
        into.add(new Change(path, a, b));
    }

    static String text(JsonNode node) {
        if (node == null) {
            return "(none)";
        }
        String text = node.toString();
        return text.length() > 200 ? text.substring(0, 199) + "…" : text;
    }
}
