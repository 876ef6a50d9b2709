package io.ved.cli;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Opens an Admin client and fails fast, with the address named, when no broker answers. */
final class KafkaAdmin {
    private static final int WAIT_SECONDS = 15;

    private KafkaAdmin() {
    }

    static Admin connect(String bootstrap) {
        return connect(bootstrap, Map.of());
    }

    static Admin connect(ConnectionOptions connection) {
        return connect(connection.bootstrap(), Map.of());
    }

    /** With the {@code --command-config} settings (SASL, TLS). */
    static Admin connect(ConnectionOptions connection, SecurityOptions security) {
        return connect(connection.bootstrap(), security.clientConfig());
    }

    static Admin connect(String bootstrap, Map<String, Object> clientConfig) {
        Map<String, Object> config = io.ved.runtime.ToolClients.with(clientConfig);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, WAIT_SECONDS * 1000);
        Admin admin = Admin.create(config);
        try {
            admin.describeCluster().clusterId().get(WAIT_SECONDS, TimeUnit.SECONDS);
            return admin;
        } catch (ExecutionException e) {
            admin.close();
            if (e.getCause() instanceof org.apache.kafka.common.errors.AuthenticationException refused) {
                throw new UserError("Kafka at " + bootstrap + " refused the credentials (" + oneLine(refused.getMessage())
                        + "): check --command-config (security.protocol, sasl.mechanism, sasl.jaas.config)");
            }
            throw new UserError("no Kafka broker answered at " + bootstrap + " within " + WAIT_SECONDS
                    + " s: start one with './ved up' or pass --bootstrap HOST:PORT");
        } catch (TimeoutException e) {
            admin.close();
            throw new UserError("no Kafka broker answered at " + bootstrap + " within " + WAIT_SECONDS
                    + " s: start one with './ved up' or pass --bootstrap HOST:PORT");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admin.close();
            throw new UserError("interrupted while connecting to " + bootstrap);
        }
    }

    static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s+", " ").trim();
    }
}
