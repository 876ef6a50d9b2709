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
        require(bootstrapServers, Map.of(), wait);
    }

    /**
     * The same with the application's client security settings ({@code security.*}, {@code sasl.*}, {@code ssl.*}).
     *
     * @throws BrokerUnreachableException when no broker answers, or it refuses the credentials (said so, in one line)
     */
    public static void require(String bootstrapServers, Map<String, Object> security, Duration wait) {
        Map<String, Object> config = new java.util.HashMap<>(security);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) wait.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(wait.toMillis(), 10_000));
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster().clusterId().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.AuthenticationException refused) {
                throw new BrokerUnreachableException("Kafka at " + bootstrapServers + " refused the application's credentials ("
                        + refused.getMessage() + "): check its security.protocol, sasl.mechanism and sasl.jaas.config");
            }
            throw new BrokerUnreachableException("no Kafka broker answered at " + bootstrapServers + " within "
                    + wait.toSeconds() + " s: check the address (--bootstrap) and that the broker is up");
        } catch (TimeoutException e) {
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
        return partitionCounts(bootstrapServers, Map.of(), wait, topics);
    }

    /** The same with the application's client security settings. */
    public static Map<String, Integer> partitionCounts(String bootstrapServers, Map<String, Object> security, Duration wait,
                                                       java.util.Collection<String> topics) {
        Map<String, Integer> counts = new java.util.HashMap<>();
        Map<String, Object> config = new java.util.HashMap<>(security);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) wait.toMillis());
        try (Admin admin = Admin.create(config)) {
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
