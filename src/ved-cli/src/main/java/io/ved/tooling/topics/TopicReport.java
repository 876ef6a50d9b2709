package io.ved.tooling.topics;

import io.ved.runtime.TopicSpec;
import java.util.List;

/** What {@code ved topics apply} found or did for one topic. */
public record TopicReport(TopicSpec spec, Status status, List<String> drift) {
    public enum Status { CREATED, OK, DRIFT, NOT_YET_CREATED }

    public TopicReport {
        drift = List.copyOf(drift);
    }

    public String describe() {
        String head = String.format("%-15s %-45s %s", status, spec.name(), spec.role());
        return drift.isEmpty() ? head : head + "\n" + String.join("\n", drift.stream().map(d -> "                - " + d).toList());
    }
}
