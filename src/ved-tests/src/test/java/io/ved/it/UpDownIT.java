package io.ved.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ved.cli.VedCli;
import io.ved.tooling.stack.StackFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ved up leaves a broker and a registry running for other commands; ved down stops both and says so. */
class UpDownIT {
    @TempDir
    Path home;

    @AfterEach
    void restoreHome() {
        System.clearProperty("ved.home");
    }

    @Test
    void upStartsTheStackInTheBackgroundAndDownStopsIt() throws Exception {
        System.setProperty("ved.home", home.toString());
        StringWriter out = new StringWriter();
        var cli = VedCli.commandLine();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("up")).as(out.toString()).isZero();

        StackFile.Stack stack = StackFile.read().orElseThrow();
        assertThat(ProcessHandle.of(stack.kafkaPid())).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        assertThat(ProcessHandle.of(stack.registryPid())).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            assertThat(admin.describeCluster().clusterId().get()).isNotBlank();
        }
        StringWriter again = new StringWriter();
        cli.setErr(new PrintWriter(again));
        assertThat(cli.execute("up")).isEqualTo(2);
        assertThat(again.toString()).contains("a stack is already up");

        StringWriter down = new StringWriter();
        cli.setOut(new PrintWriter(down));
        KafkaConsumer<byte[], byte[]> attached = attachedMember(stack.bootstrapServers());
        try {
            assertThat(cli.execute("down")).isZero();
        } finally {
            attached.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ZERO));
        }

        assertThat(down.toString()).contains("warning: updown-attached has 1 running member(s) on this broker")
                .contains("Stopped Schema registry (pid " + stack.registryPid() + ")")
                .contains("Stopped Kafka broker (pid " + stack.kafkaPid() + ")");
        assertThat(ProcessHandle.of(stack.kafkaPid()).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(ProcessHandle.of(stack.registryPid()).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(StackFile.read()).isEmpty();
    }

    @Test
    void upWithThreeBrokersStartsAReplicatedClusterAndDownStopsEveryNode() throws Exception {
        System.setProperty("ved.home", home.toString());
        StringWriter out = new StringWriter();
        var cli = VedCli.commandLine();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("up", "--brokers", "3")).as(out.toString()).isZero();
        assertThat(out.toString()).contains("a Kafka 4.4.0 cluster of 3 KRaft nodes");

        StackFile.Stack stack = StackFile.read().orElseThrow();
        assertThat(stack.kafkaPids()).hasSize(3).allSatisfy(pid ->
                assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue()));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            assertThat(admin.describeCluster().nodes().get()).hasSize(3);
            // a topic created without a replication factor gets the cluster's: 3 replicas, 2 of them needed in sync
            admin.createTopics(List.of(new NewTopic("updown.replicated", java.util.Optional.of(2), java.util.Optional.empty())))
                    .all().get();
            var partitions = admin.describeTopics(List.of("updown.replicated")).allTopicNames().get()
                    .get("updown.replicated").partitions();
            assertThat(partitions).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            var resource = new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "updown.replicated");
            assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource).get("min.insync.replicas").value()).isEqualTo("2");
        }

        StringWriter down = new StringWriter();
        cli.setOut(new PrintWriter(down));
        assertThat(cli.execute("down")).as(down.toString()).isZero();
        for (long pid : stack.kafkaPids()) {
            assertThat(down.toString()).contains("Stopped Kafka node (pid " + pid + ")");
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        }
        assertThat(StackFile.read()).isEmpty();
    }

    /** A member of a consumer group, as a running application's stream thread is one. */
    private static KafkaConsumer<byte[], byte[]> attachedMember(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("updown.attached", 1, (short) 1))).all().get();
        }
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "updown-attached"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of("updown.attached"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200));
        }
        assertThat(consumer.assignment()).as("joined its group").isNotEmpty();
        return consumer;
    }
}
