package io.ved.envelope.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Whether a schema may replace the versions a subject holds, under a compatibility rule, checked with Avro's own
 * schema resolution (what a reader does with a writer's data) and explained field by field. The registry can only
 * say "incompatible"; this names the field, so a refusal says what to change.
 */
public final class SchemaChange {
    private SchemaChange() {
    }

    /**
     * A compatibility rule as the registry's levels spell it: which directions must hold and against which versions.
     *
     * @param backward   the new schema reads data written with the stored versions
     * @param forward    the stored versions read data written with the new schema
     * @param transitive against every stored version, not only the latest
     */
    public record Rule(boolean backward, boolean forward, boolean transitive) {
        public static final Rule NONE = new Rule(false, false, false);
        public static final Rule FULL = new Rule(true, true, false);
        public static final Rule BACKWARD_TRANSITIVE = new Rule(true, false, true);

        /**
         * @param level BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE or NONE, in any case
         * @throws IllegalArgumentException naming the levels there are
         */
        public static Rule of(String level) {
            String name = level.trim().toUpperCase(Locale.ROOT);
            boolean transitive = name.endsWith("_TRANSITIVE");
            return switch (transitive ? name.substring(0, name.length() - "_TRANSITIVE".length()) : name) {
                case "BACKWARD" -> new Rule(true, false, transitive);
                case "FORWARD" -> new Rule(false, true, transitive);
                case "FULL" -> new Rule(true, true, transitive);
                case "NONE" -> NONE;
                default -> throw new IllegalArgumentException("compatibility '" + level
                        + "' is not a level: use BACKWARD, FORWARD, FULL (each also _TRANSITIVE) or NONE");
            };
        }

        /** The stricter of both in each respect: what satisfies this rule and the other. */
        public Rule and(Rule other) {
            return new Rule(backward || other.backward, forward || other.forward, transitive || other.transitive);
        }

        public boolean checksAnything() {
            return backward || forward;
        }

        /** The level's name, e.g. {@code FULL_TRANSITIVE}. */
        @Override
        public String toString() {
            String base = backward && forward ? "FULL" : backward ? "BACKWARD" : forward ? "FORWARD" : "NONE";
            return transitive && checksAnything() ? base + "_TRANSITIVE" : base;
        }
    }

    /**
     * What keeps {@code candidate} from joining the subject under the rule, one sentence per problem (naming the
     * version, the field and what is wrong); empty when it may. Like the registry, it checks a schema when it joins:
     * one the subject already holds passed then (a restart, or a second instance of the same version), and is not
     * checked again; without {@code transitive} only the latest version is checked.
     *
     * @param stored the subject's versions, oldest first (as {@link SchemaRegistry#versions} gives them)
     */
    public static List<String> problems(Schema candidate, List<SchemaVersion> stored, Rule rule) {
        if (!rule.checksAnything() || stored.isEmpty() || stored.stream().anyMatch(v -> v.schema().equals(candidate))) {
            return List.of();
        }
        List<SchemaVersion> against = rule.transitive() ? stored : List.of(stored.getLast());
        List<String> problems = new ArrayList<>();
        for (SchemaVersion version : against) {
            String which = "version " + version.version() + " (schema id " + version.id() + ")";
            if (rule.backward()) {
                explain(candidate, version.schema()).forEach(why -> problems.add("cannot read data written with " + which + ": " + why));
            }
            if (rule.forward()) {
                explain(version.schema(), candidate).forEach(why -> problems.add(which + " cannot read data written with it: " + why));
            }
        }
        return problems;
    }

    /** Why {@code reader} cannot read {@code writer}'s data, one line per incompatibility; empty when it can. */
    static List<String> explain(Schema reader, Schema writer) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
        if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        return result.getIncompatibilities().stream().map(i -> describe(reader, i)).toList();
    }

    private static String describe(Schema reader, Incompatibility incompatibility) {
        String field = FieldPath.of(reader, incompatibility.getLocation());
        return switch (incompatibility.getType()) {
            case READER_FIELD_MISSING_DEFAULT_VALUE -> "field '" + join(field, incompatibility.getMessage())
                    + "' has no default, and the writer has no such field (give it a default)";
            case TYPE_MISMATCH -> "field '" + field + "' changed type (" + incompatibility.getMessage()
                    + "; only Avro's promotions int>long>float>double and string<>bytes are allowed)";
            case MISSING_ENUM_SYMBOLS -> "field '" + field + "' lost enum symbols " + incompatibility.getMessage()
                    + " (keep them, or give the enum a default symbol)";
            case MISSING_UNION_BRANCH -> "field '" + field + "' lost a union branch (" + incompatibility.getMessage() + ")";
            case NAME_MISMATCH -> "field '" + field + "' names another type (" + incompatibility.getMessage() + "; add an alias)";
            case FIXED_SIZE_MISMATCH -> "field '" + field + "' changed its fixed size (" + incompatibility.getMessage() + ")";
        };
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path.endsWith(name) ? path : path + "." + name;
    }

    /** A JSON-pointer location of Avro's compatibility check ({@code /fields/1/type/fields/0}) as field names. */
    static final class FieldPath {
        private FieldPath() {
        }

        static String of(Schema root, String location) {
            List<String> names = new ArrayList<>();
            Schema at = root;
            String[] steps = location == null ? new String[0] : location.split("/");
            for (int i = 0; i < steps.length && at != null; i++) {
                switch (steps[i]) {
                    case "fields" -> {
                        if (i + 1 < steps.length && steps[i + 1].matches("\\d+") && at.getType() == Schema.Type.RECORD
                                && Integer.parseInt(steps[i + 1]) < at.getFields().size()) {
                            Schema.Field field = at.getFields().get(Integer.parseInt(steps[++i]));
                            names.add(field.name());
                            at = field.schema();
                        }
                    }
                    case "items" -> at = at.getType() == Schema.Type.ARRAY ? at.getElementType() : null;
                    case "values" -> at = at.getType() == Schema.Type.MAP ? at.getValueType() : null;
                    default -> {
                        if (steps[i].matches("\\d+") && at.getType() == Schema.Type.UNION
                                && Integer.parseInt(steps[i]) < at.getTypes().size()) {
                            at = at.getTypes().get(Integer.parseInt(steps[i]));
                        }
                    }
                }
            }
            return String.join(".", names);
        }
    }
}
