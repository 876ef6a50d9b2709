package io.ved.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ved.testkit.VedStack;
import io.ved.testkit.VedStackChoice;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test kit's Testcontainers stack, where Docker is: the example's integration test on Kafka and Apicurio in
 * containers. Without a Docker engine (as on Ved's CI machines) it is skipped with a line saying so; the fallback
 * itself is {@link VedStackExtensionIT}'s.
 */
class ContainerStackIT {
    @TempDir
    Path dir;

    @Test
    void theExampleRunsOnKafkaAndApicurioInContainers() throws Exception {
        assumeTrue(VedStackChoice.dockerAvailable(),
                "ContainerStackIT: no Docker engine is reachable here (Testcontainers found none); the container stack is not tried");
        VedStack containers = VedStackChoice.startContainers();
        try {
            VedStackExtensionIT.exampleRoundTrip(containers, dir);
        } finally {
            VedStackChoice.stop(containers);
        }
    }
}
