package io.ved.tooling.verify;

import io.ved.runtime.StateReader;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The applications of one verifier run: one that runs both domain types, or (cross-application) one for the
 * accounts and one for the audits, each with its own application id, consumer group, transactional ids, dead
 * letters and storm topic, sending to each other through the two inboxes named after the run.
 *
 * @param runPrefix what every topic and application id of the run starts with
 * @param applications one or two; the first runs the accounts
 */
record VerifyDeployment(String runPrefix, List<Application> applications) {

    /**
     * One application: its topology (and the YAML {@code ved run} reads), the class {@code --domains} names, and
     * the inboxes its consumer group handles.
     */
    record Application(TopologyFile topology, String yaml, String domainsClass, List<String> consumes) {
        Application {
            consumes = List.copyOf(consumes);
        }

        String id() {
            return topology.application();
        }

        int consumedPartitions() {
            return topology.domains().stream().filter(d -> consumes.contains(d.topic())).mapToInt(DomainTopic::partitions).sum();
        }
    }

    VerifyDeployment {
        applications = List.copyOf(applications);
    }

    static VerifyDeployment of(String runId, int partitions, int replicationFactor, boolean crossApplication) {
        String prefix = "ved-verify-" + runId;
        if (!crossApplication) {
            String yaml = VerifyApp.yaml(prefix, prefix, partitions, replicationFactor);
            TopologyFile topology = VerifyApp.topology(yaml);
            return new VerifyDeployment(prefix, List.of(new Application(topology, yaml, VerifyApp.class.getName(),
                    topology.domains().stream().map(DomainTopic::topic).toList())));
        }
        String accounts = VerifyApp.yaml(prefix + "-accounts", prefix, partitions, replicationFactor);
        String audits = VerifyApp.yaml(prefix + "-audits", prefix, partitions, replicationFactor);
        TopologyFile accountsTopology = VerifyApp.topology(accounts);
        TopologyFile auditsTopology = VerifyApp.topology(audits);
        return new VerifyDeployment(prefix, List.of(
                new Application(accountsTopology, accounts, VerifyApp.Accounts.class.getName(),
                        List.of(accountsTopology.require(VerifyAccount.TYPE).topic())),
                new Application(auditsTopology, audits, VerifyApp.Audits.class.getName(),
                        List.of(auditsTopology.require(VerifyAudit.TYPE).topic()))));
    }

    boolean crossApplication() {
        return applications.size() > 1;
    }

    Application accountsApp() {
        return applications.getFirst();
    }

    Application auditsApp() {
        return applications.getLast();
    }

    String accountInbox() {
        return accountsApp().topology().require(VerifyAccount.TYPE).topic();
    }

    String auditInbox() {
        return accountsApp().topology().require(VerifyAudit.TYPE).topic();
    }

    List<String> inboxes() {
        return accountsApp().topology().domains().stream().map(DomainTopic::topic).toList();
    }

    /** The application whose group consumes this inbox. */
    Application consumerOf(String inbox) {
        return applications.stream().filter(a -> a.consumes().contains(inbox)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(inbox + " is not an inbox of " + runPrefix));
    }

    String accountChangelog() {
        return StateReader.changelogTopic(accountsApp().topology(), VerifyAccount.definition());
    }

    String auditChangelog() {
        return StateReader.changelogTopic(auditsApp().topology(), VerifyAudit.definition());
    }

    List<String> deadLetterTopics() {
        return applications.stream().map(a -> a.topology().deadLetterTopic()).distinct().toList();
    }

    List<String> stormTopics() {
        return applications.stream().map(a -> a.topology().stormTopic()).distinct().toList();
    }

    /** Every topic that transactions of the run write to: inboxes, changelogs, dead letters. */
    List<String> transactionalOutputs() {
        LinkedHashSet<String> topics = new LinkedHashSet<>(inboxes());
        topics.add(accountChangelog());
        topics.add(auditChangelog());
        topics.addAll(deadLetterTopics());
        return List.copyOf(topics);
    }

    /** Whether a topic or group belongs to this run. */
    boolean owns(String name) {
        return name.startsWith(runPrefix + ".") || name.startsWith(runPrefix + "-") || name.equals(runPrefix);
    }
}
