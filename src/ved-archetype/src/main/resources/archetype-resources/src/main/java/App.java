package ${package};

import io.ved.api.DomainDefinition;
import io.ved.api.Ved;
import io.ved.api.VedApplication;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The application: its domains and its topology file, named once. The {@code ved} tools find it through
 * {@code META-INF/services/io.ved.api.VedApplication} ({@code ved send --app target/${artifactId}-${version}.jar ...});
 * {@link #main} runs it.
 */
public final class App implements VedApplication {
    /** The topology file on the classpath (copied from {@code topology/${artifactId}.yaml}). */
    public static final String TOPOLOGY = "ved/topology/${artifactId}.yaml";

    @Override
    public List<DomainDefinition<?>> domains() {
        return List.of(AccountDomain.definition());
    }

    @Override
    public String topologyResource() {
        return TOPOLOGY;
    }

    /** The application's domains and topology on a new builder; the caller sets where Kafka is, builds and starts. */
    public static Ved.Builder builder() {
        return Ved.builder().topologyResource(TOPOLOGY).domains(new App().domains());
    }

    /**
     * Runs the application until the process is stopped (SIGTERM or Ctrl-C closes it cleanly). Where Kafka and the
     * registry are comes from the environment: {@code VED_BOOTSTRAP_SERVERS} (default {@code 127.0.0.1:9092}),
     * {@code VED_SCHEMA_REGISTRY} (default {@code http://127.0.0.1:8081/apis/ccompat/v7}, the stack of
     * {@code ved up}), {@code VED_STATE_DIR} (default: Kafka Streams' own, under java.io.tmpdir),
     * {@code VED_CLIENT_CONFIG} (a properties file of Kafka client security settings, e.g. from a Secret),
     * {@code VED_INSTANCE_ID} (static membership: a stable name per instance, e.g. the pod's name) and
     * {@code VED_HTTP_HOST}/{@code VED_HTTP_PORT} (the endpoint of /metrics, /health/live, /health/ready and
     * /state; default 127.0.0.1:8090, 0.0.0.0 in a pod; port -1: none).
     */
    public static void main(String[] args) throws InterruptedException {
        Ved.Builder builder = builder()
                .bootstrapServers(env("VED_BOOTSTRAP_SERVERS", "127.0.0.1:9092"))
                .schemaRegistry(env("VED_SCHEMA_REGISTRY", "http://127.0.0.1:8081/apis/ccompat/v7"));
        String stateDir = System.getenv("VED_STATE_DIR");
        if (stateDir != null && !stateDir.isBlank()) {
            builder.stateDir(Path.of(stateDir));
        }
        String clientConfig = System.getenv("VED_CLIENT_CONFIG");
        if (clientConfig != null && !clientConfig.isBlank()) {
            builder.clientConfig(Path.of(clientConfig));
        }
        String instanceId = System.getenv("VED_INSTANCE_ID");
        if (instanceId != null && !instanceId.isBlank()) {
            builder.instanceId(instanceId);
        }
        int httpPort = Integer.parseInt(env("VED_HTTP_PORT", "8090"));
        if (httpPort >= 0) {
            builder.stateEndpoint(env("VED_HTTP_HOST", "127.0.0.1"), httpPort);
        }
        Ved ved = builder.build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ved.close();
            stopped.countDown();
        }, "${artifactId}-stop"));
        ved.start();
        System.out.println("${artifactId}: running; stop it with Ctrl-C");
        stopped.await();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
