package ${package};

import io.ved.api.Ved;
import io.ved.testkit.VedStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs the application on the embedded stack (a KRaft broker in this JVM and an Apicurio registry), for trying it
 * by hand: {@code mvn -q test-compile exec:java}. It prints where Kafka and the registry are and a {@code ved send}
 * to try, and runs until Ctrl-C; the broker's data goes when it stops.
 */
public final class RunLocally {
    private RunLocally() {
    }

    public static void main(String[] args) throws Exception {
        VedStack stack = VedStack.shared();
        stack.createTopics(Path.of("topology/${artifactId}.yaml"));
        Ved app = stack.start(App.builder().stateDir(Files.createTempDirectory("${artifactId}-state")), Duration.ofSeconds(90));
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "${artifactId}-stop"));
        System.out.println("""
                ${artifactId} is running on the embedded stack; stop it with Ctrl-C.
                  Kafka:    %s
                  registry: %s
                Send it a message with Ved's CLI (from a Ved checkout), e.g.:
                  ./ved send --app %s --bootstrap %s --registry %s 'AccountDomain[acc-1] Deposit(amount: 500)'
                """.formatted(stack.bootstrapServers(), stack.registryUrl(),
                Path.of("target/classes").toAbsolutePath(), stack.bootstrapServers(), stack.registryUrl()));
        Thread.currentThread().join();
    }
}
