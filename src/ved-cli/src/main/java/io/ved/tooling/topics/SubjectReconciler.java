package io.ved.tooling.topics;

import io.ved.envelope.registry.SchemaRegistry;
import io.ved.runtime.topology.SchemaCompatibility;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Brings the schema subjects' compatibility levels to what the topology file asks ({@code compatibility:}), as
 * {@link TopicReconciler} does for topics: a subject without a level of its own gets it; one with another level is
 * drift, reported and left alone (the running application sets its levels when it starts). Apicurio answers
 * {@code NONE} for an existing subject that has no level of its own, so {@code NONE} counts as no level here: it is
 * set over, never reported as drift.
 */
public final class SubjectReconciler {
    private final SchemaRegistry registry;

    public SubjectReconciler(SchemaRegistry registry) {
        this.registry = registry;
    }

    /** What became of one subject. */
    public record SubjectReport(String subject, SchemaCompatibility wanted, Optional<String> found, Status status) {
        public enum Status { SET, OK, DRIFT }

        public String describe() {
            return switch (status) {
                case SET -> "set      " + subject + ": compatibility " + wanted;
                case OK -> "ok       " + subject + ": compatibility " + wanted;
                case DRIFT -> "DRIFT    " + subject + ": compatibility " + found.orElse("?") + ", the topology file says "
                        + wanted + "\n  hint: set it with PUT /config/" + subject + " {\"compatibility\":\"" + wanted
                        + "\"}, or start the application, which applies the topology file's level";
            };
        }
    }

    /** @param wanted subject -> level, as {@code DomainCatalog.compatibilityBySubject()} gives it */
    public List<SubjectReport> apply(Map<String, SchemaCompatibility> wanted) {
        List<SubjectReport> reports = new ArrayList<>();
        wanted.forEach((subject, level) -> {
            Optional<String> found = registry.compatibility(subject);
            if (found.isEmpty() || found.get().equalsIgnoreCase("NONE") && level != SchemaCompatibility.NONE) {
                registry.setCompatibility(subject, level.name());
                reports.add(new SubjectReport(subject, level, found, SubjectReport.Status.SET));
            } else if (found.get().equalsIgnoreCase(level.name())) {
                reports.add(new SubjectReport(subject, level, found, SubjectReport.Status.OK));
            } else {
                reports.add(new SubjectReport(subject, level, found, SubjectReport.Status.DRIFT));
            }
        });
        return reports;
    }
}
