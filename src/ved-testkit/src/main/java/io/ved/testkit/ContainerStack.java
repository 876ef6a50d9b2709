package io.ved.testkit;

import io.ved.tooling.stack.LocalRegistry;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Kafka and Apicurio in Docker containers through Testcontainers, the images of Ved's {@code docker-compose.yml}. Only
 * touched once {@code VedStack} has found Testcontainers on the classpath, so a test classpath without it never loads
 * this class.
 */
final class ContainerStack {
    static final String KAFKA_IMAGE = "apache/kafka:4.4.0";
    static final String REGISTRY_IMAGE = "apicurio/apicurio-registry:3.3.3";
    private static final String CCOMPAT = "/apis/ccompat/v7";

    private ContainerStack() {
    }

    /** Whether Testcontainers finds a Docker engine (socket, DOCKER_HOST or its own configuration). */
    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Starts both containers (pulling the images on first use) and sets the registry's global BACKWARD rule. */
    @SuppressWarnings("resource") // both containers are stopped by the returned stack's stop
    static VedStack start() {
        KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE));
        kafka.start();
        GenericContainer<?> registry = new GenericContainer<>(DockerImageName.parse(REGISTRY_IMAGE))
                .withExposedPorts(8080)
                .waitingFor(Wait.forHttp(CCOMPAT + "/subjects").forStatusCode(200))
                .withStartupTimeout(Duration.ofMinutes(3));
        try {
            registry.start();
        } catch (RuntimeException e) {
            kafka.stop();
            throw e;
        }
        String url = "http://" + registry.getHost() + ":" + registry.getMappedPort(8080) + CCOMPAT;
        LocalRegistry.setGlobalCompatibility(url, LocalRegistry.DEFAULT_COMPATIBILITY);
        return new VedStack(kafka.getBootstrapServers(), url, null, null, () -> {
            registry.stop();
            kafka.stop();
        });
    }
}
