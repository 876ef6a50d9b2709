package io.ved.tooling.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stack file names every broker of a cluster, and still reads a file written before clusters existed. */
class StackFileTest {
    @TempDir
    Path home;

    @AfterEach
    void restoreHome() {
        System.clearProperty("ved.home");
    }

    @Test
    void aClusterIsWrittenWithEveryBrokerPid() {
        System.setProperty("ved.home", home.toString());
        StackFile.write(new StackFile.Stack("127.0.0.1:1,127.0.0.1:2,127.0.0.1:3", "http://r", 11, 20, "/w", Instant.EPOCH,
                List.of(11L, 12L, 13L)));

        StackFile.Stack read = StackFile.read().orElseThrow();
        assertThat(read.kafkaPids()).containsExactly(11L, 12L, 13L);
        assertThat(read.brokers()).isEqualTo(3);
    }

    @Test
    void aSingleNodeFileFromBeforeClustersHasItsOneBroker() throws Exception {
        System.setProperty("ved.home", home.toString());
        Files.createDirectories(StackFile.location().getParent());
        Files.writeString(StackFile.location(), """
                {"bootstrapServers": "127.0.0.1:9092", "registryUrl": "http://r", "kafkaPid": 42, "registryPid": 43,
                 "workDir": "/w", "startedAt": "2026-11-01T00:00:00Z"}
                """);

        StackFile.Stack read = StackFile.read().orElseThrow();
        assertThat(read.kafkaPids()).containsExactly(42L);
        assertThat(read.brokers()).isEqualTo(1);
    }
}
