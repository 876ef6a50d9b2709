package io.ved.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ved.tooling.verify.FaultKind;
import io.ved.tooling.verify.Verifier;
import io.ved.tooling.verify.VerifyReport;
import io.ved.tooling.verify.VerifySettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short cluster run of {@code ved verify}: three KRaft nodes in their own processes (replication factor 3,
 * {@code min.insync.replicas} 2), the accounts and the audits in two applications (every audit crosses from one
 * to the other), the accounts' application scaled from one process to two, the leader of an inbox partition killed
 * with kill -9 and restarted, an app process frozen with SIGSTOP past its session timeout and woken, app 0's
 * network black-holed past its session timeout and restored, an app killed; nothing may be lost, applied twice or
 * reordered (in the end and as the live reader saw it), and each poison deposit ends as exactly one dead letter.
 */
class VerifierClusterIT {
    @TempDir
    Path work;

    @Test
    void aShortClusterRunAcrossTwoApplicationsWithALeaderKillAPauseABlackHoleAndAScaleUpLosesNothing() throws Exception {
        VerifySettings settings = VerifySettings.builder(work)
                .messages(4_000).processes(1).scaleSteps(List.of(2)).kills(1).brokerRestarts(1).pauses(1).networkFaults(1)
                .crossApplication(true).poison(1).duration(Duration.ofSeconds(75)).seed(7)
                .registry(Optional.of(RealStack.get().registryUrl())).catchUp(Duration.ofMinutes(3)).brokers(3)
                .build();
        StringWriter log = new StringWriter();
        PrintWriter out = new PrintWriter(new TeeWriter(log), true);

        VerifyReport report = new Verifier(settings, out).run();
        report.print(out);

        String why = String.join("\n", report.examples()) + report.failure().map(f -> "\n" + f).orElse("");
        assertThat(log.toString()).contains("Kafka cluster of 3 nodes").containsPattern("kill -9 of node \\d \\(pid \\d+, leader of ")
                .contains("SIGSTOP of app").contains("network black-hole between app 0").contains("scale up 1")
                .contains("in a second application")
                .as("the pause came while deposits were still flowing").containsPattern("pause 1 \\(app \\d\\) +at +[\\d.]+ s: processing resumed");
        assertThat(report.lost()).as("lost; " + why).isZero();
        assertThat(report.duplicated()).as("duplicated; " + why).isZero();
        assertThat(report.outOfOrder()).as("out of order; " + why).isZero();
        assertThat(report.brokerRestarts()).isEqualTo(1);
        assertThat(report.kills()).isGreaterThanOrEqualTo(1);
        assertThat(report.count(FaultKind.APP_PAUSE)).isEqualTo(1);
        assertThat(report.count(FaultKind.NETWORK)).isEqualTo(1);
        assertThat(report.count(FaultKind.SCALE_UP)).isEqualTo(1);
        assertThat(report.applications()).isEqualTo(2);
        assertThat(report.live().read()).as("the live reader read every audit").isEqualTo(4_000 - 1);
        assertThat(report.live().passed()).as(why).isTrue();
        assertThat(report.expectedDeadLetters()).isEqualTo(1);
        assertThat(report.passed()).as(why).isTrue();
    }

    /** Keeps what the verifier printed for the assertions, and shows it in the test's output too. */
    private static final class TeeWriter extends java.io.Writer {
        private final StringWriter copy;
        private final PrintWriter console = new PrintWriter(System.out, true, StandardCharsets.UTF_8);

        TeeWriter(StringWriter copy) {
            this.copy = copy;
        }

        @Override
        public void write(char[] chars, int off, int len) {
            copy.write(chars, off, len);
            console.write(chars, off, len);
        }

        @Override
        public void flush() {
            console.flush();
        }

        @Override
        public void close() {
            console.flush();
        }
    }
}
