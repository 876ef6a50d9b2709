package io.ved.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ved.cli.VedCli;
import io.ved.tooling.stack.StackFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
        assertThat(cli.execute("down")).isZero();

        assertThat(down.toString()).contains("Stopped Schema registry (pid " + stack.registryPid() + ")")
                .contains("Stopped Kafka broker (pid " + stack.kafkaPid() + ")");
        assertThat(ProcessHandle.of(stack.kafkaPid()).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(ProcessHandle.of(stack.registryPid()).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(StackFile.read()).isEmpty();
    }
}
