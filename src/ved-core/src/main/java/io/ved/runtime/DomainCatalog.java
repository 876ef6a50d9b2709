package io.ved.runtime;

import io.ved.api.DomainDefinition;
import io.ved.api.DomainType;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;

/**
 * The domain types this application runs, checked against the topology file before anything starts:
 * every registered type has an inbox, and every declared send names a known type that accepts the message.
 * A wiring mistake fails here, with a message that names both sides, instead of as dead letters later.
 */
public final class DomainCatalog {
    private final TopologyFile topologyFile;
    private final Map<DomainType, DomainDefinition<?>> local;

    private final Map<String, io.ved.runtime.topology.SchemaCompatibility> compatibility;

    public DomainCatalog(TopologyFile topologyFile, Collection<? extends DomainDefinition<?>> definitions) {
        this.topologyFile = topologyFile;
        this.local = index(definitions);
        List<String> problems = new ArrayList<>();
        local.keySet().stream().filter(t -> topologyFile.domain(t).isEmpty()).forEach(t -> problems.add(
                t + " is registered but has no inbox in the topology file; add it under 'domains' (known: "
                        + topologyFile.typeNames() + ")"));
        local.values().forEach(d -> checkSends(d, problems));
        this.compatibility = compatibilityBySubject(problems);
        if (!problems.isEmpty()) {
            throw new TopologyFileException("the domains do not fit topology '" + topologyFile.application() + "':\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    /**
     * The compatibility level the topology file asks for, per schema subject (a record's full name) of the local
     * domains' accepted messages and states; subjects of types without {@code compatibility:} are left out. Two
     * types that ask different levels for one subject are a problem.
     */
    private Map<String, io.ved.runtime.topology.SchemaCompatibility> compatibilityBySubject(List<String> problems) {
        Map<String, io.ved.runtime.topology.SchemaCompatibility> levels = new java.util.TreeMap<>();
        Map<String, DomainType> askedBy = new java.util.HashMap<>();
        for (DomainDefinition<?> d : local.values()) {
            var level = topologyFile.domain(d.type()).flatMap(t -> t.policy().compatibility());
            if (level.isEmpty()) {
                continue;
            }
            Set<Class<? extends SpecificRecord>> records = new java.util.LinkedHashSet<>(d.accepts());
            records.add(d.stateClass());
            for (Class<? extends SpecificRecord> record : records) {
                String subject = DomainDefinition.schemaOf(record).getFullName();
                var earlier = levels.putIfAbsent(subject, level.get());
                if (earlier != null && earlier != level.get()) {
                    problems.add(subject + " is a schema of " + askedBy.get(subject) + " (compatibility " + earlier + ") and of "
                            + d.type() + " (compatibility " + level.get() + "): give both types the same level");
                } else {
                    askedBy.putIfAbsent(subject, d.type());
                }
            }
        }
        return Map.copyOf(levels);
    }

    /** The compatibility level per schema subject that the topology file sets for the local domains (see above). */
    public Map<String, io.ved.runtime.topology.SchemaCompatibility> compatibilityBySubject() {
        return compatibility;
    }

    private static Map<DomainType, DomainDefinition<?>> index(Collection<? extends DomainDefinition<?>> definitions) {
        if (definitions.isEmpty()) {
            throw new TopologyFileException("no domain is registered: register at least one DomainDefinition");
        }
        Map<DomainType, DomainDefinition<?>> byType = new LinkedHashMap<>();
        for (DomainDefinition<?> d : definitions) {
            if (byType.putIfAbsent(d.type(), d) != null) {
                throw new TopologyFileException(d.type() + " is registered twice");
            }
        }
        return byType;
    }

    private void checkSends(DomainDefinition<?> sender, List<String> problems) {
        sender.sends().forEach((target, messages) -> {
            if (topologyFile.domain(target).isEmpty()) {
                problems.add(sender.type() + " sends " + names(messages) + " to " + target
                        + ", which is not a domain type of the topology file (known: " + topologyFile.typeNames() + ")");
                return;
            }
            Optional.ofNullable(local.get(target)).ifPresent(receiver -> messages.stream()
                    .filter(m -> !receiver.accepts().contains(m))
                    .forEach(m -> problems.add(sender.type() + " sends " + m.getSimpleName() + " to " + target
                            + ", which does not accept it (" + target + " accepts " + names(receiver.accepts()) + ")")));
        });
    }

    private static String names(Set<Class<? extends SpecificRecord>> classes) {
        return classes.stream().map(Class::getSimpleName).collect(Collectors.joining(", "));
    }

    public TopologyFile topologyFile() {
        return topologyFile;
    }

    public Collection<DomainDefinition<?>> localDomains() {
        return local.values();
    }

    public Optional<DomainDefinition<?>> local(DomainType type) {
        return Optional.ofNullable(local.get(type));
    }

    public DomainTopic topicOf(DomainType type) {
        return topologyFile.require(type);
    }

    /** The domain type whose inbox is this topic. */
    public Optional<DomainType> typeOfTopic(String topic) {
        return topologyFile.domains().stream().filter(d -> d.topic().equals(topic)).map(DomainTopic::type).findFirst();
    }

    /** Every message and state class of the local domains: their schemas are registered at start-up. */
    public Set<Class<? extends SpecificRecord>> recordClasses() {
        Set<Class<? extends SpecificRecord>> classes = new java.util.LinkedHashSet<>();
        for (DomainDefinition<?> d : local.values()) {
            classes.add(d.stateClass());
            classes.addAll(d.accepts());
            d.sends().values().forEach(classes::addAll);
            classes.addAll(d.replies());
        }
        classes.add(io.ved.internal.TraceRecord.class);
        return classes;
    }
}
