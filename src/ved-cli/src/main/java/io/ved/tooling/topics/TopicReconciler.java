package io.ved.tooling.topics;

import io.ved.runtime.TopicSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates missing topics and reports how existing ones differ from the plan, never changing them: fewer
 * partitions would lose data, and more would move keys to other partitions and break per-instance order,
 * so a human decides.
 */
public final class TopicReconciler {
    private final Admin admin;

    public TopicReconciler(Admin admin) {
        this.admin = admin;
    }

    /** Creates what is missing among {@code toCreate}; checks {@code toCheck} only where they exist. */
    public List<TopicReport> apply(List<TopicSpec> toCreate, List<TopicSpec> toCheck) throws ExecutionException, InterruptedException {
        Set<String> existing = admin.listTopics().names().get();
        List<TopicReport> reports = new ArrayList<>();
        List<TopicSpec> missing = toCreate.stream().filter(t -> !existing.contains(t.name())).toList();
        create(missing);
        missing.forEach(t -> reports.add(new TopicReport(t, TopicReport.Status.CREATED, List.of())));
        List<TopicSpec> present = new ArrayList<>(toCreate.stream().filter(t -> existing.contains(t.name())).toList());
        present.addAll(toCheck.stream().filter(t -> existing.contains(t.name())).toList());
        reports.addAll(check(present));
        toCheck.stream().filter(t -> !existing.contains(t.name()))
                .forEach(t -> reports.add(new TopicReport(t, TopicReport.Status.NOT_YET_CREATED, List.of())));
        return reports;
    }

    private void create(List<TopicSpec> missing) throws ExecutionException, InterruptedException {
        if (missing.isEmpty()) {
            return;
        }
        List<NewTopic> topics = missing.stream()
                .map(t -> new NewTopic(t.name(), t.partitions(), t.replicationFactor()).configs(t.configs())).toList();
        try {
            admin.createTopics(topics).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private List<TopicReport> check(Collection<TopicSpec> specs) throws ExecutionException, InterruptedException {
        if (specs.isEmpty()) {
            return List.of();
        }
        Map<String, TopicDescription> descriptions = admin.describeTopics(
                specs.stream().map(TopicSpec::name).toList()).allTopicNames().get();
        Map<ConfigResource, Config> configs = admin.describeConfigs(specs.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name())).toList()).all().get();
        return specs.stream().map(spec -> {
            List<String> drift = drift(spec, descriptions.get(spec.name()),
                    configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name())));
            return new TopicReport(spec, drift.isEmpty() ? TopicReport.Status.OK : TopicReport.Status.DRIFT, drift);
        }).toList();
    }

    private static List<String> drift(TopicSpec spec, TopicDescription actual, Config config) {
        List<String> drift = new ArrayList<>();
        int partitions = actual.partitions().size();
        if (partitions != spec.partitions()) {
            drift.add("has " + partitions + " partitions, the topology file says " + spec.partitions()
                    + (partitions < spec.partitions()
                    ? " (not changed: adding partitions moves keys to other partitions, away from their state and order; keep the "
                    + "count, or migrate to a new application with ved state export and import, see docs/UPGRADES.md)"
                    : " (partitions cannot be removed: recreate the topic or change the topology file)"));
        }
        int replication = actual.partitions().get(0).replicas().size();
        if (replication != spec.replicationFactor()) {
            drift.add("has replication factor " + replication + ", the topology file says " + spec.replicationFactor()
                    + " (change it with kafka-reassign-partitions)");
        }
        Map<String, String> actualConfigs = config.entries().stream()
                .filter(e -> e.value() != null)
                .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value));
        spec.configs().forEach((key, wanted) -> {
            String value = actualConfigs.get(key);
            if (!wanted.equals(value)) {
                drift.add(key + " is " + value + ", the topology file says " + wanted
                        + " (change it with kafka-configs --alter --add-config " + key + "=" + wanted + ")");
            }
        });
        return drift;
    }
}
