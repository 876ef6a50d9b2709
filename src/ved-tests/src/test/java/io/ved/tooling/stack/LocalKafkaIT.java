package io.ved.tooling.stack;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.ved.tooling.stack.EmbeddedKafkaIT.readCommitted;
import static io.ved.tooling.stack.EmbeddedKafkaIT.transactionalProducer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs the broker as its own JVM, as the quick start and the fault tests do, and checks the two
 * things those rely on: exactly-once transactions work, and committed data survives a kill -9.
 */
class LocalKafkaIT {

    @Test
    void committedTransactionsSurviveKillNineAndRestartOnTheSameDirectory(@TempDir Path workDir) throws Exception {
        long t0 = System.nanoTime();
        try (LocalKafka kafka = LocalKafka.builder(workDir).start()) {
            System.out.printf("local broker (format + start) ready in %d ms at %s%n",
                    (System.nanoTime() - t0) / 1_000_000, kafka.bootstrapServers());
            String topic = "fault-tolerant";
            try (var producer = transactionalProducer(kafka.bootstrapServers(), "local-tx")) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "k1", "committed-1"));
                producer.send(new ProducerRecord<>(topic, "k2", "committed-2"));
                producer.commitTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "k3", "aborted"));
                producer.flush();
                producer.abortTransaction();
            }
            assertThat(readCommitted(kafka.bootstrapServers(), topic, 2))
                    .containsExactly("committed-1", "committed-2");

            long pidBefore = kafka.pid();
            kafka.kill();
            assertThat(kafka.isRunning()).isFalse();
            assertThat(ProcessHandle.of(pidBefore).map(ProcessHandle::isAlive)).isIn(
                    java.util.Optional.empty(), java.util.Optional.of(false));

            long t1 = System.nanoTime();
            kafka.start();
            System.out.printf("local broker restarted after kill -9 in %d ms%n", (System.nanoTime() - t1) / 1_000_000);
            assertThat(kafka.pid()).isNotEqualTo(pidBefore);

            assertThat(readCommitted(kafka.bootstrapServers(), topic, 2))
                    .containsExactly("committed-1", "committed-2");
            // The transaction coordinator came back too: the same transactional id can commit again.
            try (var producer = transactionalProducer(kafka.bootstrapServers(), "local-tx")) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "k4", "after-kill"));
                producer.commitTransaction();
            }
            assertThat(readCommitted(kafka.bootstrapServers(), topic, 3))
                    .containsExactly("committed-1", "committed-2", "after-kill");
        }
        assertThat(workDir.resolve("logs/server.log")).isNotEmptyFile();
    }

    @Test
    void aNewHandleOnTheSameDirectoryGetsTheSameClusterAfterAGracefulStop(@TempDir Path workDir) throws Exception {
        String bootstrap;
        try (LocalKafka first = LocalKafka.builder(workDir).start()) {
            bootstrap = first.bootstrapServers();
            try (var producer = transactionalProducer(bootstrap, "graceful")) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("kept", "k", "v"));
                producer.commitTransaction();
            }
        }
        String metaBefore = Files.readString(workDir.resolve("data/meta.properties"));

        try (LocalKafka second = LocalKafka.builder(workDir).start()) {
            assertThat(second.bootstrapServers()).isEqualTo(bootstrap);
            assertThat(readCommitted(second.bootstrapServers(), "kept", 1)).containsExactly("v");
        }
        assertThat(Files.readString(workDir.resolve("data/meta.properties"))).isEqualTo(metaBefore);
    }

    @Test
    void aBrokerThatCannotStartFailsFastWithItsLog(@TempDir Path workDir) {
        var broken = LocalKafka.builder(workDir)
                .config("num.network.threads", "not-a-number")
                .readyTimeout(Duration.ofSeconds(60));
        assertThatThrownBy(broken::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("last lines of")
                .hasMessageContaining("num.network.threads");
    }
}
