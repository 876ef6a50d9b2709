package io.ved.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ved.tooling.verify.Verifier;
import io.ved.tooling.verify.VerifyReport;
import io.ved.tooling.verify.VerifySettings;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of {@code ved verify}: the app as two processes, each killed with kill -9 at least once, the broker
 * (a process of its own) killed and restarted once, 3,000 deposits meanwhile; nothing may be lost, applied twice
 * or reordered, and the one poison deposit must end as exactly one dead letter.
 */
class VerifierIT {
    @TempDir
    Path work;

    @Test
    void aShortChaosRunLosesNothingDuplicatesNothingAndKeepsOrder() throws Exception {
        VerifySettings settings = VerifySettings.builder(work)
                .messages(3_000).processes(2).kills(2).brokerRestarts(1).poison(2)
                .duration(Duration.ofSeconds(25)).seed(42)
                .registry(Optional.of(RealStack.get().registryUrl()))
                .catchUp(Duration.ofMinutes(2)).build();
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);

        VerifyReport report = new Verifier(settings, out).run();
        report.print(out);

        String why = String.join("\n", report.examples()) + report.failure().map(f -> "\n" + f).orElse("");
        assertThat(report.lost()).as("lost; " + why).isZero();
        assertThat(report.duplicated()).as("duplicated; " + why).isZero();
        assertThat(report.outOfOrder()).as("out of order; " + why).isZero();
        assertThat(report.kills()).isGreaterThanOrEqualTo(2);
        assertThat(report.brokerRestarts()).isEqualTo(1);
        assertThat(report.expectedDeadLetters()).isEqualTo(2);
        assertThat(report.passed()).as(why).isTrue();
    }
}
