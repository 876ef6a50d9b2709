package io.ved.tooling.verify;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What one verifier run does. {@link #defaults(Path)} is sized for CI: about 20,000 messages over two processes
 * in a few minutes, with at least three kills and one broker restart.
 *
 * @param messages       deposits the driver sends
 * @param processes      Ved app processes ({@code ved run}) to run and kill
 * @param minKills       kill -9's of an app process to do at least (more if the run is long enough)
 * @param brokerRestarts kill -9's and restarts of the broker (only when the verifier started the broker itself)
 * @param duration       how long the driver spreads the messages over; the chaos runs meanwhile
 * @param seed           drives the messages and the chaos, so a run can be repeated
 * @param accounts       VerifyAccount instances; 0 means one per 100 messages
 * @param audits         VerifyAudit instances; 0 means one per 4 accounts
 * @param partitions     partitions of each inbox
 * @param poison         deposits whose handler throws, each to end as exactly one dead letter; -1 means one per 2,000
 * @param bootstrap      an existing broker to use instead of starting one (no broker restarts then)
 * @param registry       an existing schema registry to use instead of starting one
 * @param appConfig      Kafka Streams settings for the app processes ({@code ved run --config}); none by default
 * @param workDir        where the broker data, the app state and all logs go
 * @param catchUp        how long the apps may take to catch up once the driver and the chaos have stopped
 * @param progressEvery  how often a progress line is printed
 * @param brokers        Kafka nodes the verifier starts: 1, or a {@code LocalCluster} of 3 (replication factor 3,
 *                       min.insync.replicas 2), whose broker faults kill the leader of an inbox partition or the
 *                       active controller
 * @param pauses         SIGSTOPs of an app process, each held past the group's session timeout, then SIGCONT
 */
public record VerifySettings(int messages,
                             int processes,
                             int minKills,
                             int brokerRestarts,
                             Duration duration,
                             long seed,
                             int accounts,
                             int audits,
                             int partitions,
                             int poison,
                             Optional<String> bootstrap,
                             Optional<String> registry,
                             Map<String, String> appConfig,
                             Path workDir,
                             Duration catchUp,
                             Duration progressEvery,
                             int brokers,
                             int pauses) {

    public VerifySettings {
        require(messages > 0, "--messages must be at least 1");
        require(processes >= 1, "--processes must be at least 1");
        require(minKills >= 0, "--kills must not be negative");
        require(brokerRestarts >= 0, "--broker-restarts must not be negative");
        require(!duration.isNegative() && !duration.isZero(), "--duration must be positive");
        require(accounts >= 0 && audits >= 0, "--accounts and --audits must not be negative");
        require(partitions >= 1, "--partitions must be at least 1");
        require(poison >= -1, "--poison must not be negative");
        require(brokers >= 1 && brokers <= 9, "--brokers must be 1 to 9 (3 for a replicated cluster)");
        require(pauses >= 0, "--pauses must not be negative");
        appConfig = Map.copyOf(appConfig);
    }

    public static VerifySettings defaults(Path workDir) {
        return new VerifySettings(20_000, 2, 3, 1, Duration.ofSeconds(90), System.nanoTime(), 0, 0, 6, -1,
                Optional.empty(), Optional.empty(), Map.of(), workDir, Duration.ofMinutes(5), Duration.ofSeconds(5), 1, 0);
    }

    public int accountCount() {
        return accounts > 0 ? accounts : Math.max(1, messages / 100);
    }

    public int auditCount() {
        return audits > 0 ? audits : Math.max(1, accountCount() / 4);
    }

    public int poisonCount() {
        return Math.min(messages, poison >= 0 ? poison : messages / 2000);
    }

    /** Broker restarts are only possible on a broker this run started. */
    public int plannedBrokerRestarts() {
        return bootstrap.isPresent() ? 0 : brokerRestarts;
    }

    public VerifySettings withMessages(int n) {
        return new VerifySettings(n, processes, minKills, brokerRestarts, duration, seed, accounts, audits, partitions, poison, bootstrap, registry, appConfig, workDir, catchUp, progressEvery, brokers, pauses);
    }

    public VerifySettings withProcesses(int n) {
        return new VerifySettings(messages, n, minKills, brokerRestarts, duration, seed, accounts, audits, partitions, poison, bootstrap, registry, appConfig, workDir, catchUp, progressEvery, brokers, pauses);
    }

    public VerifySettings withKills(int n) {
        return new VerifySettings(messages, processes, n, brokerRestarts, duration, seed, accounts, audits, partitions, poison, bootstrap, registry, appConfig, workDir, catchUp, progressEvery, brokers, pauses);
    }

    public VerifySettings withBrokerRestarts(int n) {
        return new VerifySettings(messages, processes, minKills, n, duration, seed, accounts, audits, partitions, poison, bootstrap, registry, appConfig, workDir, catchUp, progressEvery, brokers, pauses);
    }

    public VerifySettings withDuration(Duration d) {
        return new VerifySettings(messages, processes, minKills, brokerRestarts, d, seed, accounts, audits, partitions, poison, bootstrap, registry, appConfig, workDir, catchUp, progressEvery, brokers, pauses);
    }

    public VerifySettings withSeed(long s) {
        return new VerifySettings(messages, processes, minKills, brokerRestarts, duration, s, accounts, audits, partitions, poison, bootstrap, registry, appConfig, workDir, catchUp, progressEvery, brokers, pauses);
    }

    public VerifySettings withInstances(int accountCount, int auditCount) {
        return new VerifySettings(messages, processes, minKills, brokerRestarts, duration, seed, accountCount, auditCount, partitions, poison, bootstrap, registry, appConfig, workDir, catchUp, progressEvery, brokers, pauses);
    }

    public VerifySettings withPartitions(int n) {
        return new VerifySettings(messages, processes, minKills, brokerRestarts, duration, seed, accounts, audits, n, poison, bootstrap, registry, appConfig, workDir, catchUp, progressEvery, brokers, pauses);
    }

    public VerifySettings withPoison(int n) {
        return new VerifySettings(messages, processes, minKills, brokerRestarts, duration, seed, accounts, audits, partitions, n, bootstrap, registry, appConfig, workDir, catchUp, progressEvery, brokers, pauses);
    }

    public VerifySettings withStack(Optional<String> bootstrapServers, Optional<String> registryUrl) {
        return new VerifySettings(messages, processes, minKills, brokerRestarts, duration, seed, accounts, audits, partitions, poison, bootstrapServers, registryUrl, appConfig, workDir, catchUp, progressEvery, brokers, pauses);
    }

    public VerifySettings withAppConfig(Map<String, String> config) {
        return new VerifySettings(messages, processes, minKills, brokerRestarts, duration, seed, accounts, audits, partitions, poison, bootstrap, registry, config, workDir, catchUp, progressEvery, brokers, pauses);
    }

    public VerifySettings withCatchUp(Duration d) {
        return new VerifySettings(messages, processes, minKills, brokerRestarts, duration, seed, accounts, audits, partitions, poison, bootstrap, registry, appConfig, workDir, d, progressEvery, brokers, pauses);
    }

    public VerifySettings withProgressEvery(Duration d) {
        return new VerifySettings(messages, processes, minKills, brokerRestarts, duration, seed, accounts, audits, partitions, poison, bootstrap, registry, appConfig, workDir, catchUp, d, brokers, pauses);
    }

    /** A run on a cluster of {@code n} Kafka nodes, with {@code pauses} SIGSTOP/SIGCONT pauses of an app process. */
    public VerifySettings withCluster(int n, int pauseCount) {
        return new VerifySettings(messages, processes, minKills, brokerRestarts, duration, seed, accounts, audits, partitions, poison, bootstrap, registry, appConfig, workDir, catchUp, progressEvery, n, pauseCount);
    }

    /** How long a pause holds an app process: past its group's 10 s session timeout, so it must be fenced. */
    public Duration pauseLength() {
        return Duration.ofSeconds(14);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
