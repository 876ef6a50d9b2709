package io.ved.runtime;

import io.ved.api.DomainDefinition;
import io.ved.api.DomainType;
import io.ved.envelope.registry.SchemaChange;
import io.ved.envelope.registry.SchemaChange.Rule;
import io.ved.envelope.registry.SchemaRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * Checks, before an application registers anything or handles a record, that its schemas may join what the registry
 * holds: each domain's state schema must read every stored version of its state (at least BACKWARD_TRANSITIVE: the
 * stores and changelogs may hold any of them), and each message schema it sends must be read by, and read, the latest
 * other version (at least FULL: during a rolling upgrade old and new instances read each other's messages). A subject's
 * stricter level (from the topology file, else the registry's own for the subject) applies on top; a topology
 * {@code compatibility: NONE} turns the message check off for that type's subjects, never the state check.
 */
public final class UpgradeCheck {
    private static final Rule STATE_MINIMUM = Rule.BACKWARD_TRANSITIVE;
    private static final Rule MESSAGE_MINIMUM = Rule.FULL;

    private UpgradeCheck() {
    }

    /** One schema to check: the subject, which rule, and whose it is for the message. */
    private record Checked(DomainType type, String role, Class<? extends SpecificRecord> record, Rule rule, String why) {
    }

    /**
     * Every problem, one line each, naming the domain type, the schema, the stored version, the field and the rule;
     * empty when every schema may join.
     *
     * @throws io.ved.envelope.registry.RegistryUnavailableException when the registry cannot be reached
     */
    public static List<String> problems(DomainCatalog catalog, SchemaRegistry registry) {
        List<String> problems = new ArrayList<>();
        for (Checked checked : plan(catalog, registry).values()) {
            Schema schema = DomainDefinition.schemaOf(checked.record());
            List<String> found = SchemaChange.problems(schema, registry.versions(schema.getFullName()), checked.rule());
            found.forEach(p -> problems.add(checked.type() + ": " + checked.role() + " " + schema.getFullName() + " " + p
                    + "; rule " + checked.rule() + " (" + checked.why() + ")"));
        }
        return problems;
    }

    /** @throws IncompatibleUpgradeException with every problem, one per line */
    public static void require(DomainCatalog catalog, SchemaRegistry registry) {
        List<String> problems = problems(catalog, registry);
        if (!problems.isEmpty()) {
            throw new IncompatibleUpgradeException(problems);
        }
    }

    private static Map<String, Checked> plan(DomainCatalog catalog, SchemaRegistry registry) {
        Map<String, Checked> bySubject = new LinkedHashMap<>();
        for (DomainDefinition<?> d : catalog.localDomains()) {
            Class<? extends SpecificRecord> state = d.stateClass();
            Optional<Rule> stateLevel = level(catalog, registry, state);
            bySubject.putIfAbsent(subject(state), new Checked(d.type(), "state schema", state,
                    STATE_MINIMUM.and(stateLevel.orElse(Rule.NONE)),
                    "state is read back from every stored version, so at least " + STATE_MINIMUM));
        }
        for (DomainDefinition<?> d : catalog.localDomains()) {
            List<Class<? extends SpecificRecord>> sent = new ArrayList<>(d.replies());
            d.sends().values().forEach(sent::addAll);
            for (Class<? extends SpecificRecord> message : sent) {
                if (bySubject.containsKey(subject(message))) {
                    continue; // sent by an earlier domain too: one check, one registry lookup
                }
                Optional<Rule> level = level(catalog, registry, message);
                if (level.isPresent() && !level.get().checksAnything() && catalog.compatibilityBySubject().containsKey(subject(message))) {
                    continue; // the topology file said NONE for this subject
                }
                bySubject.putIfAbsent(subject(message), new Checked(d.type(), "message schema it sends", message,
                        MESSAGE_MINIMUM.and(level.orElse(Rule.NONE)),
                        "old and new versions read each other's messages during a rolling upgrade, so at least " + MESSAGE_MINIMUM));
            }
        }
        return bySubject;
    }

    /** The subject's level: the topology file's, else the one the registry holds for the subject itself. */
    private static Optional<Rule> level(DomainCatalog catalog, SchemaRegistry registry, Class<? extends SpecificRecord> record) {
        var fromFile = catalog.compatibilityBySubject().get(subject(record));
        if (fromFile != null) {
            return Optional.of(Rule.of(fromFile.name()));
        }
        try {
            return registry.compatibility(subject(record)).map(Rule::of);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty(); // a registry that cannot say, or a level Ved does not know: the minimum applies
        }
    }

    private static String subject(Class<? extends SpecificRecord> record) {
        return DomainDefinition.schemaOf(record).getFullName();
    }

    /** The application's schemas cannot join what the registry holds; {@link #problems()} lists why, one per line. */
    public static final class IncompatibleUpgradeException extends IllegalStateException {
        private final List<String> problems;

        IncompatibleUpgradeException(List<String> problems) {
            super(String.join("\n", problems));
            this.problems = List.copyOf(problems);
        }

        /** One line per problem, never empty. */
        public List<String> problems() {
            return problems;
        }
    }
}
