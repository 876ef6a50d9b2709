package io.ved.runtime;

import io.ved.api.DomainDefinition;
import io.ved.api.DomainType;
import io.ved.runtime.topology.TopologyFile;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Exactly the Kafka ACLs one Ved application needs to run, derived from its topology file and the domains it runs,
 * for a broker that denies what no ACL allows ({@code allow.everyone.if.no.acl.found=false}):
 *
 * <ul>
 *   <li>READ and WRITE on the inboxes of its own domain types (WRITE: a record on the wrong partition, a timer and a
 *       retry are sent back to the mailbox);</li>
 *   <li>WRITE on the inboxes of the types its domains send to (their declared {@code sends}), in this application
 *       or another;</li>
 *   <li>READ, WRITE, CREATE, DELETE, DESCRIBE, DESCRIBE_CONFIGS on topics prefixed with the application id (Kafka
 *       Streams' changelogs, and Ved's trace, storm, abandoned and depth topics named after the application);</li>
 *   <li>WRITE on the dead-letter and reply topics, wherever the topology file puts them;</li>
 *   <li>READ on the consumer group and WRITE on transactional ids, both prefixed with the application id (Kafka
 *       Streams' exactly-once producers), and IDEMPOTENT_WRITE on the cluster.</li>
 * </ul>
 * DESCRIBE comes with each topic's grant (metadata). Nothing is granted on other applications' topics, groups or
 * transactions. Stateless and thread-safe.
 */
public final class AclPlan {
    private AclPlan() {
    }

    /**
     * The bindings for {@code principal} (e.g. {@code User:orders-app}) from {@code host} ({@code *}: any), sorted
     * and without repeats.
     *
     * @throws IllegalArgumentException when the principal is not {@code Type:name}
     * @throws io.ved.runtime.topology.TopologyFileException when a domain sends to a type the topology file lacks
     */
    public static List<AclBinding> forApplication(TopologyFile file, Collection<? extends DomainDefinition<?>> domains,
                                                  String principal, String host) {
        requirePrincipal(principal);
        Objects.requireNonNull(host, "host");
        String application = file.application();
        Set<AclBinding> acls = new LinkedHashSet<>();
        Set<String> ownInboxes = new LinkedHashSet<>();
        Set<String> targetInboxes = new LinkedHashSet<>();
        for (DomainDefinition<?> domain : domains) {
            ownInboxes.add(file.require(domain.type()).topic());
            for (DomainType target : domain.sends().keySet()) {
                targetInboxes.add(file.require(target).topic());
            }
        }
        ownInboxes.forEach(topic -> topic(acls, topic, PatternType.LITERAL, principal, host,
                AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE));
        targetInboxes.stream().filter(t -> !ownInboxes.contains(t)).forEach(topic -> topic(acls, topic, PatternType.LITERAL,
                principal, host, AclOperation.WRITE, AclOperation.DESCRIBE));
        topic(acls, application, PatternType.PREFIXED, principal, host, AclOperation.READ, AclOperation.WRITE,
                AclOperation.CREATE, AclOperation.DELETE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
        for (String written : List.of(file.deadLetterTopic(), file.replyTopic())) {
            if (!written.startsWith(application)) {
                topic(acls, written, PatternType.LITERAL, principal, host, AclOperation.WRITE, AclOperation.DESCRIBE);
            }
        }
        acls.add(binding(ResourceType.GROUP, application, PatternType.PREFIXED, principal, host, AclOperation.READ));
        acls.add(binding(ResourceType.GROUP, application, PatternType.PREFIXED, principal, host, AclOperation.DESCRIBE));
        acls.add(binding(ResourceType.TRANSACTIONAL_ID, application, PatternType.PREFIXED, principal, host, AclOperation.WRITE));
        acls.add(binding(ResourceType.TRANSACTIONAL_ID, application, PatternType.PREFIXED, principal, host, AclOperation.DESCRIBE));
        acls.add(binding(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, principal, host, AclOperation.IDEMPOTENT_WRITE));
        List<AclBinding> sorted = new ArrayList<>(acls);
        sorted.sort(Comparator.comparing(AclPlan::describe));
        return List.copyOf(sorted);
    }

    /** One line per binding, as {@code ved acls} prints it: {@code ALLOW User:a READ TOPIC ved.inbox (LITERAL) from *}. */
    public static String describe(AclBinding acl) {
        return acl.entry().permissionType() + " " + acl.entry().principal() + " " + acl.entry().operation() + " "
                + acl.pattern().resourceType() + " " + acl.pattern().name() + " (" + acl.pattern().patternType() + ") from "
                + acl.entry().host();
    }

    private static void requirePrincipal(String principal) {
        if (principal == null || !principal.matches("[A-Za-z]+:[^\\s:][^\\s]*")) {
            throw new IllegalArgumentException("principal '" + principal + "' is not Type:name: use e.g. User:orders-app "
                    + "(the name the application authenticates as: its SASL user, or its certificate's mapped name)");
        }
    }

    private static void topic(Set<AclBinding> acls, String name, PatternType pattern, String principal, String host,
                              AclOperation... operations) {
        for (AclOperation operation : operations) {
            acls.add(binding(ResourceType.TOPIC, name, pattern, principal, host, operation));
        }
    }

    private static AclBinding binding(ResourceType type, String name, PatternType pattern, String principal, String host,
                                      AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, host, operation, AclPermissionType.ALLOW));
    }
}
