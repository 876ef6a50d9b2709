package io.ved.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an application depending on ved-core ships: its resolved runtime dependencies (listed by the core module's
 * build) hold no broker, no Scala, no CLI library and no test library.
 */
class DependencyBoundaryTest {
    private static final Path LIST = Path.of("../ved-core/target/runtime-dependencies.txt");

    @Test
    void vedCoreDependsOnNothingARunningDomainDoesNotNeed() throws Exception {
        assertThat(LIST).as("written by ved-core's build (dependency:list)").exists();
        List<String> artifacts = Files.readAllLines(LIST).stream().map(String::trim)
                .filter(line -> line.matches("[\\w.-]+:[\\w.-]+:.*")).toList();

        assertThat(artifacts).as("resolved runtime dependencies").isNotEmpty()
                .anyMatch(a -> a.startsWith("org.apache.kafka:kafka-streams:"))
                .noneMatch(a -> a.startsWith("org.apache.kafka:kafka_2.13:"))
                .noneMatch(a -> a.startsWith("org.apache.kafka:kafka-server"))
                .noneMatch(a -> a.startsWith("org.scala-lang:"))
                .noneMatch(a -> a.startsWith("info.picocli:"))
                .noneMatch(a -> a.startsWith("org.junit"))
                .noneMatch(a -> a.startsWith("org.assertj:"))
                .noneMatch(a -> a.startsWith("org.apache.kafka:kafka-streams-test-utils:"))
                .noneMatch(a -> a.startsWith("org.slf4j:slf4j-simple:"));
    }
}
