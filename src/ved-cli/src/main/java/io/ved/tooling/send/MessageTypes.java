package io.ved.tooling.send;

import io.ved.api.DomainDefinition;
import io.ved.api.DomainType;
import io.ved.runtime.DomainCatalog;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;

/** Finds the generated class of a message type among those the target's domain type accepts. */
final class MessageTypes {
    private final DomainCatalog catalog;

    MessageTypes(DomainCatalog catalog) {
        this.catalog = catalog;
    }

    /** @param messageType a simple name ({@code ReleaseStock}) or a full one ({@code io.ved...ReleaseStock}) */
    Class<? extends SpecificRecord> resolve(DomainType target, String messageType) {
        List<Class<? extends SpecificRecord>> accepted = List.copyOf(definition(target).accepts());
        List<Class<? extends SpecificRecord>> matches = accepted.stream()
                .filter(c -> c.getSimpleName().equals(messageType) || c.getName().equals(messageType))
                .toList();
        return switch (matches.size()) {
            case 1 -> matches.getFirst();
            case 0 -> throw new InvalidMessageException(target + " does not accept " + messageType
                    + "; it accepts " + simpleNames(accepted));
            default -> throw new InvalidMessageException(messageType + " is ambiguous for " + target
                    + ": write the full name, one of " + matches.stream().map(Class::getName).collect(Collectors.joining(", ")));
        };
    }

    private DomainDefinition<?> definition(DomainType target) {
        if (catalog.topologyFile().domain(target).isEmpty()) {
            throw new InvalidMessageException("unknown domain type " + target + "; the topology file has "
                    + String.join(", ", catalog.topologyFile().typeNames()));
        }
        // A type run by another application has an inbox here but no definition: its schemas are not known.
        return catalog.local(target).orElseThrow(() -> new InvalidMessageException(target
                + " is in the topology file but not defined in this application, so its messages cannot be checked;"
                + " domains defined here: " + catalog.localDomains().stream().map(d -> d.type().name())
                .collect(Collectors.joining(", "))));
    }

    private static String simpleNames(List<Class<? extends SpecificRecord>> classes) {
        return classes.stream().map(Class::getSimpleName).collect(Collectors.joining(", "));
    }
}
