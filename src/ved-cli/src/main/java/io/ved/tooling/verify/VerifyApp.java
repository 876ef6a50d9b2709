package io.ved.tooling.verify;

import io.ved.api.DomainDefinition;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The application {@code ved verify} runs under chaos: {@link VerifyAccount} and {@link VerifyAudit}, started as
 * separate {@code ved run --domains io.ved.tooling.verify.VerifyApp} processes.
 */
public final class VerifyApp {
    /** A day: the checker reads the inboxes back from the beginning, and a run never lasts that long. */
    static final long RETENTION_MS = 24L * 3600 * 1000;

    private VerifyApp() {
    }

    public static List<DomainDefinition<?>> domains() {
        return List.of(VerifyAccount.definition(), VerifyAudit.definition());
    }

    /**
     * The topology file of one verifier run. Every name starts with the application id, which carries the run's
     * id, so runs on a shared broker never meet. Everything else (retries, trace, storm protection) is Ved's
     * default: the verifier checks Ved as it ships.
     */
    public static String yaml(String runId, int partitions) {
        return yaml(runId, partitions, 1);
    }

    /** The same, with this replication factor for every topic (3 on a cluster). */
    public static String yaml(String runId, int partitions, int replicationFactor) {
        String app = "ved-verify-" + runId;
        return yaml(app, app, partitions, replicationFactor);
    }

    /**
     * The topology file of {@code application}, one of a run's applications: the inboxes are named after the run
     * ({@code runPrefix}), so every application of the run sends to the same two inboxes, while the dead-letter,
     * reply, trace and storm topics are the application's own.
     */
    static String yaml(String application, String runPrefix, int partitions, int replicationFactor) {
        return """
                # written by ved verify for one run
                application: %1$s
                deadLetterTopic: %1$s.deadletters
                replyTopic: %1$s.replies
                defaults:
                  partitions: %2$d
                  replicationFactor: %6$d
                  retentionMs: %3$d
                domains:
                  - type: %4$s
                    topic: %7$s.account.inbox
                  - type: %5$s
                    topic: %7$s.audit.inbox
                """.formatted(application, partitions, RETENTION_MS, VerifyAccount.TYPE.name(), VerifyAudit.TYPE.name(),
                replicationFactor, runPrefix);
    }

    /** The accounts alone, for a run whose audits are another application's ({@code ved run --domains}). */
    public static final class Accounts {
        private Accounts() {
        }

        public static List<DomainDefinition<?>> domains() {
            return List.of(VerifyAccount.definition());
        }
    }

    /** The audits alone, for a run whose accounts are another application's. */
    public static final class Audits {
        private Audits() {
        }

        public static List<DomainDefinition<?>> domains() {
            return List.of(VerifyAudit.definition());
        }
    }

    /** The topology a {@link #yaml} text describes, read as {@code ved run} will read it. */
    public static TopologyFile topology(String yaml) {
        return TopologyFileReader.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "the verifier's topology");
    }
}
