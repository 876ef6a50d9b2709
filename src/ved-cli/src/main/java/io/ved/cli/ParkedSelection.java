package io.ved.cli;

import io.ved.tooling.parked.Reinjector;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;

/**
 * What 'ved dlq redrive' and 'ved storms release' share: both pick parked records (dead letters, quarantined
 * messages) by id or with {@code --all}, find them in their topic, and report each re-injected one the same way.
 *
 * @param what      one such record, as the user knows it ("dead letter", "quarantined message")
 * @param plural    more of them
 * @param verb      what the command does to them ("redrive", "release")
 * @param done      and its participle ("redriven", "released")
 * @param listing   the command that shows their ids ("ved dlq list")
 * @param topicName what their topic is called ("dead-letter topic")
 */
record ParkedSelection(String what, String plural, String verb, String done, String listing, String topicName) {
    static final String INDENT = " ".repeat(7);

    /**
     * The ids named on the command line, or none with {@code --all}; one or the other must be given.
     *
     * @param filterOption the option that narrows {@code --all} ("--domain"), given as {@code filterValue} or null
     * @param filterOn     what it narrows by ("domain")
     */
    <I> List<I> ids(List<String> ids, boolean all, String filterOption, String filterValue, String filterOn,
                    Function<String, I> parse) {
        if (all == !ids.isEmpty()) {
            throw new UserError(all ? "give " + what + " ids or --all, not both"
                    : "name the " + plural + " to " + verb + " (ids as '" + listing + "' shows them, e.g. 0-17), or give --all");
        }
        if (filterValue != null && !all) {
            throw new UserError(filterOption + " goes with --all; " + plural + " named by id are " + done
                    + " whatever their " + filterOn);
        }
        Set<I> parsed = new LinkedHashSet<>();
        for (String id : ids) {
            try {
                parsed.add(parse.apply(id));
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
        return List.copyOf(parsed);
    }

    /** The records of the ids, in order; a user error naming every id not in the topic, so that nothing is sent. */
    <I, R> List<R> find(List<I> wanted, Function<I, Optional<R>> lookup, String topic) {
        List<R> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (I id : wanted) {
            lookup.apply(id).ifPresentOrElse(found::add, () -> missing.add(id.toString()));
        }
        if (!missing.isEmpty()) {
            throw new UserError("no " + what + " " + String.join(", ", missing) + " in " + topic
                    + ": '" + listing + "' shows the ids; nothing was sent");
        }
        return found;
    }

    /** Reading a topic that does not exist would create it (broker auto-creation); say so instead. */
    void requireTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = KafkaAdmin.connect(bootstrap)) {
            if (!admin.listTopics().names().get(15, TimeUnit.SECONDS).contains(topic)) {
                throw new UserError("the " + topicName + " " + topic + " does not exist on " + bootstrap
                        + ": is this the right --topology? ('ved run' or 'ved topics apply' creates it)");
            }
        }
    }

    /**
     * One line for a re-injected record: where it landed, or why it failed.
     *
     * @param subject what it was sent as, e.g. "InventoryDomain[88] ReleaseStock"
     * @return true if it landed
     */
    boolean report(PrintWriter out, Object id, Reinjector.Outcome outcome, String subject, String topic) {
        return switch (outcome) {
            case Reinjector.Landed at -> {
                out.printf("%-6s %s %s -> %s partition %d offset %d%n", id, done, subject, topic, at.partition(), at.offset());
                yield true;
            }
            case Reinjector.Failed failed -> {
                out.printf("%-6s FAILED to send to %s: %s%n", id, topic, failed.why());
                yield false;
            }
        };
    }
}
