package io.ved.runtime;

import io.ved.runtime.topology.TopologyFile;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The runtime's own compacted topics, which it creates when missing as Kafka Streams creates its changelogs:
 * {@code <application>.abandoned} and {@code <application>.depth}. {@code ved topics apply} creates them too. Also
 * the one "create unless it exists" of Ved's code, for the test kit's stack.
 */
public final class InternalTopics {
    private InternalTopics() {
    }

    /** The client settings for the runtime's own clients: the servers, and the application's security settings. */
    static Map<String, Object> clientConfig(String bootstrapServers, Map<String, Object> applicationConfig) {
        Map<String, Object> common = new HashMap<>();
        applicationConfig.forEach((key, value) -> {
            if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                common.put(key, value);
            }
        });
        common.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return common;
    }

    /**
     * Creates the topics that are missing.
     *
     * @throws IllegalStateException naming the topic and the fix when one cannot be created within {@code wait}
     */
    static void ensure(TopologyFile file, Map<String, Object> clientConfig, Duration wait) {
        try (Admin admin = Admin.create(clientConfig)) {
            List<String> internal = List.of(file.abandonedTopic(), file.depthTopic());
            createMissing(admin, TopicPlan.topicsToCreate(file).stream().filter(t -> internal.contains(t.name()))
                    .map(TopicSpec::toNewTopic).toList(), wait);
        }
    }

    /**
     * Creates each topic unless it exists (an existing one is left as it is).
     *
     * @throws IllegalStateException naming the topic and the fix when the broker refuses one or does not answer
     */
    public static void createMissing(Admin admin, List<NewTopic> topics, Duration wait) {
        topics.forEach(topic -> create(admin, topic, wait));
    }

    private static void create(Admin admin, NewTopic topic, Duration wait) {
        try {
            admin.createTopics(List.of(topic)).all().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic.name() + " (" + e.getCause().getMessage()
                        + "): create it with 'ved topics apply', or grant this application CREATE on it", e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not create topic " + topic.name() + " within "
                    + wait.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic.name(), e);
        }
    }
}
