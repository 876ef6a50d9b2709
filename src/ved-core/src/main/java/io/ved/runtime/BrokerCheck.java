package io.ved.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Checks at start-up that a broker answers. Kafka Streams itself would wait for one for ever, which looks
 * like a hang; a bounded wait with the address named tells the operator what is wrong.
 */
public final class BrokerCheck {
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

    private BrokerCheck() {
    }

    /** @throws BrokerUnreachableException when no broker answers at the address within the wait */
    public static void require(String bootstrapServers, Duration wait) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) wait.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(wait.toMillis(), 10_000)))) {
            admin.describeCluster().clusterId().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new BrokerUnreachableException("no Kafka broker answered at " + bootstrapServers + " within "
                    + wait.toSeconds() + " s: check the address (--bootstrap) and that the broker is up");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnreachableException("interrupted while waiting for a Kafka broker at " + bootstrapServers);
        }
    }

    /**
     * The partition count of each of the topics that exists, as the broker has it now (the topology file may be out
     * of date). A topic that is missing, or a broker that does not say, is left out.
     */
    public static Map<String, Integer> partitionCounts(String bootstrapServers, Duration wait, java.util.Collection<String> topics) {
        Map<String, Integer> counts = new java.util.HashMap<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) wait.toMillis()))) {
            admin.describeTopics(topics).topicNameValues().forEach((topic, future) -> {
                try {
                    counts.put(topic, future.get(wait.toMillis(), TimeUnit.MILLISECONDS).partitions().size());
                } catch (ExecutionException | TimeoutException missing) {
                    // Kafka Streams reports a missing inbox itself, by name
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        return counts;
    }

    /** No broker answered within the wait. */
    public static final class BrokerUnreachableException extends RuntimeException {
        public BrokerUnreachableException(String message) {
            super(message);
        }
    }
}
