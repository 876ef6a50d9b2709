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
        Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, WAIT_SECONDS * 1000));
        try {
            admin.describeCluster().clusterId().get(WAIT_SECONDS, TimeUnit.SECONDS);
            return admin;
        } catch (TimeoutException | ExecutionException e) {
            admin.close();
            throw new UserError("no Kafka broker answered at " + bootstrap + " within " + WAIT_SECONDS
                    + " s: start one with './ved up' or pass --bootstrap HOST:PORT");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admin.close();
            throw new UserError("interrupted while connecting to " + bootstrap);
        }
    }
}
