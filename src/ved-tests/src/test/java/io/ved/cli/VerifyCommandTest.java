package io.ved.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ved.tooling.verify.VerifySettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** 'ved verify' runs the CI defaults or the cluster profile, and each option changes only what it names. */
class VerifyCommandTest {

    private static VerifySettings settings(String... args) {
        VerifyCommand command = new VerifyCommand();
        new CommandLine(command).parseArgs(args);
        return command.settings();
    }

    @Test
    void withoutOptionsTheShortSingleBrokerRunIsAsked() {
        VerifySettings s = settings("--seed", "1");
        assertThat(s.brokers()).isEqualTo(1);
        assertThat(s.messages()).isEqualTo(20_000);
        assertThat(s.processes()).isEqualTo(2);
        assertThat(s.crossApplication()).isFalse();
        assertThat(s.scaleSteps()).isEmpty();
        assertThat(s.networkFaults() + s.brokerPauses() + s.brokerBounces() + s.appBounces() + s.pauses()).isZero();
    }

    @Test
    void theClusterProfileHasEveryFaultAtTheSizesTheIssueAsks() {
        VerifySettings s = settings("--cluster");
        assertThat(s.brokers()).isEqualTo(3);
        assertThat(s.messages()).isGreaterThanOrEqualTo(100_000);
        assertThat(s.processes()).isEqualTo(1);
        assertThat(s.scaleSteps()).containsExactly(3, 2);
        assertThat(s.minKills()).isGreaterThanOrEqualTo(10);
        assertThat(s.pauses()).isGreaterThanOrEqualTo(3);
        assertThat(s.brokerRestarts()).isGreaterThanOrEqualTo(2);
        assertThat(s.brokerPauses()).isPositive();
        assertThat(s.brokerBounces()).isPositive();
        assertThat(s.appBounces()).isPositive();
        assertThat(s.networkFaults()).isPositive();
        assertThat(s.crossApplication()).isTrue();
        assertThat(s.appConfig()).containsEntry("commit.interval.ms", "1000");
        assertThat(s.mostProcesses()).isEqualTo(3);
    }

    @Test
    void optionsOverrideTheProfileOneByOne() {
        VerifySettings s = settings("--cluster", "--messages", "1000000", "--duration", "30m", "--no-cross-application",
                "--scale", "2,3,1", "--app-config", "num.standby.replicas=1");
        assertThat(s.messages()).isEqualTo(1_000_000);
        assertThat(s.duration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.crossApplication()).isFalse();
        assertThat(s.scaleSteps()).containsExactly(2, 3, 1);
        assertThat(s.appConfig()).containsEntry("num.standby.replicas", "1").containsEntry("commit.interval.ms", "1000");
        assertThat(s.brokers()).as("untouched").isEqualTo(3);
    }

    @Test
    void anImpossibleValueIsAUserErrorNamingTheOption() {
        assertThatThrownBy(() -> settings("--scale", "3,0"))
                .isInstanceOf(UserError.class)
                .hasMessage("--scale: each step is a process count from 1 to 9, not 0");
        assertThatThrownBy(() -> settings("--network-faults", "-1"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("--network-faults").hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> settings("--brokers", "12"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("--brokers must be 1 to 9");
    }

    @Test
    void aSecuredClusterIsOnlyAnExistingOne() {
        assertThatThrownBy(() -> settings("--command-config", "admin.properties"))
                .isInstanceOf(UserError.class)
                .hasMessage("--command-config needs --bootstrap HOST:PORT: the cluster the verifier starts itself is not secured");
        VerifySettings s = settings("--bootstrap", "broker:9093", "--command-config", "admin.properties", "--registry", "http://r/x");
        assertThat(s.clientConfig()).contains(java.nio.file.Path.of("admin.properties"));
        assertThat(s.bootstrap()).contains("broker:9093");
    }
}
