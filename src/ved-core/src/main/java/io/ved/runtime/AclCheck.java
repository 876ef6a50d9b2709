package io.ved.runtime;

import io.ved.api.DomainDefinition;
import io.ved.runtime.topology.TopologyFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Before the application starts, asks the broker what this application's principal may do on the topics the
 * topology names (Kafka's authorized operations, which need no ACL rights of their own), and refuses to start,
 * in one line naming each missing ACL and the command that grants it, when one of {@link AclPlan}'s is missing.
 * Without this, a missing WRITE would surface as a fatal error of a stream thread on the first send, minutes later.
 * A broker without an authorizer allows everything; a topic that does not exist yet is left to Kafka Streams.
 */
final class AclCheck {
    private AclCheck() {
    }

    /** @throws MissingAclException naming each missing ACL */
    static void require(TopologyFile file, Collection<? extends DomainDefinition<?>> domains, String bootstrapServers,
                        Map<String, Object> security, Duration wait) {
        Map<String, Set<AclOperation>> needed = new LinkedHashMap<>();
        for (AclBinding acl : AclPlan.forApplication(file, domains, "User:application", "*")) {
            if (acl.pattern().resourceType() == ResourceType.TOPIC && acl.pattern().patternType() == PatternType.LITERAL) {
                needed.computeIfAbsent(acl.pattern().name(), t -> new java.util.TreeSet<>()).add(acl.entry().operation());
            }
        }
        Map<String, Object> config = new HashMap<>(security);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) wait.toMillis());
        List<String> missing = new ArrayList<>();
        try (Admin admin = Admin.create(config)) {
            var described = admin.describeTopics(needed.keySet(), new DescribeTopicsOptions().includeAuthorizedOperations(true))
                    .topicNameValues();
            needed.forEach((topic, operations) -> {
                try {
                    TopicDescription description = described.get(topic).get(wait.toMillis(), TimeUnit.MILLISECONDS);
                    Set<AclOperation> allowed = description.authorizedOperations();
                    if (allowed == null || allowed.contains(AclOperation.ALL)) {
                        return; // the broker did not say, or allows all
                    }
                    operations.stream().filter(op -> !allowed.contains(op)).forEach(op -> missing.add(op + " on topic " + topic));
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicAuthorizationException) {
                        operations.forEach(op -> missing.add(op + " on topic " + topic));
                    } else if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw new IllegalStateException("cannot check the ACLs on topic " + topic + ": " + e.getCause().getMessage(), e);
                    }
                } catch (TimeoutException e) {
                    throw new IllegalStateException("the broker did not describe topic " + topic + " within " + wait.toSeconds() + " s", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while checking the ACLs", e);
                }
            });
        }
        if (!missing.isEmpty()) {
            throw new MissingAclException("application " + file.application() + " may not run here: its principal lacks the "
                    + "ACLs " + String.join(", ", missing) + "; grant them with 'ved acls apply --principal <its principal>' "
                    + "(or list them with 'ved acls')");
        }
    }

    /** The application's principal lacks ACLs it needs: the message names each. */
    static final class MissingAclException extends IllegalStateException {
        MissingAclException(String message) {
            super(message);
        }
    }
}
