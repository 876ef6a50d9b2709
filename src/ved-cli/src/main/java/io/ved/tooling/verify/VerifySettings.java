package io.ved.tooling.verify;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one verifier run does. {@link #builder(Path)} starts from the CI-sized defaults (about 20,000 messages over
 * two processes in a few minutes, with at least three kills and one broker restart); {@link #clusterProfile(Path)}
 * from the cluster profile's (100,000 messages on three brokers with every kind of fault, within 10 minutes on two
 * cores).
 *
 * @param messages       deposits the driver sends
 * @param processes      Ved app processes ({@code ved run}) of the application running the accounts, at the start
 * @param minKills       kill -9's of an app process to do at least (more if the run is long enough)
 * @param brokerRestarts kill -9's and restarts of a broker (only when the verifier started the brokers itself)
 * @param duration       how long the driver spreads the messages over; the chaos runs meanwhile
 * @param seed           drives the messages and the chaos, so a run can be repeated
 * @param accounts       VerifyAccount instances; 0 means one per 100 messages
 * @param audits         VerifyAudit instances; 0 means one per 4 accounts
 * @param partitions     partitions of each inbox
 * @param poison         deposits whose handler throws, each to end as exactly one dead letter; -1 means one per 2,000
 * @param bootstrap      an existing broker to use instead of starting one (no broker faults, no network faults then)
 * @param registry       an existing schema registry to use instead of starting one
 * @param appConfig      Kafka Streams settings for the app processes ({@code ved run --config}); none by default
 * @param workDir        where the broker data, the app state and all logs go
 * @param catchUp        how long the apps may take to catch up once the driver and the chaos have stopped
 * @param progressEvery  how often a progress line is printed
 * @param brokers        Kafka nodes the verifier starts: 1, or a {@code LocalCluster} of 3 (replication factor 3,
 *                       min.insync.replicas 2), whose broker faults kill the leader of an inbox partition or the
 *                       active controller
 * @param pauses         SIGSTOPs of an app process, each held past the group's session timeout, then SIGCONT
 * @param crossApplication the two domain types in two applications (two application ids, two groups), so every
 *                       audit crosses an application boundary; the audits' application runs one process
 * @param scaleSteps     the accounts application's process count to grow or shrink to, one scale event each, in
 *                       order (e.g. 3, 2 after starting with 1); a shrink stops the newest process, cleanly on odd
 *                       shrinks and with kill -9 on even ones
 * @param networkFaults  black-holes of app process 0's connections to every broker (accepted but silent) past its
 *                       session timeout, then restored (only when the verifier started the brokers itself)
 * @param brokerPauses   SIGSTOPs of the broker leading an inbox partition past its broker session timeout, then SIGCONT
 * @param appBounces     clean stops (SIGTERM) and restarts of an app process
 * @param brokerBounces  clean stops (controlled shutdown) and restarts of a broker
 * @param clientConfig   a properties file of Kafka client security settings for every client of the run, the app
 *                       processes' included (only with {@code bootstrap}: the verifier's own cluster is not secured)
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
                             int pauses,
                             boolean crossApplication,
                             List<Integer> scaleSteps,
                             int networkFaults,
                             int brokerPauses,
                             int appBounces,
                             int brokerBounces,
                             Optional<Path> clientConfig) {

    /** Most app processes a run may have at once: each is a JVM with up to 384 MB of heap. */
    public static final int MAX_PROCESSES = 9;

    public VerifySettings {
        require(messages > 0, "--messages must be at least 1");
        require(clientConfig.isEmpty() || bootstrap.isPresent(), "--command-config needs --bootstrap HOST:PORT: the cluster "
                + "the verifier starts itself is not secured");
        require(processes >= 1 && processes <= MAX_PROCESSES, "--processes must be 1 to " + MAX_PROCESSES);
        require(minKills >= 0, "--kills must not be negative");
        require(brokerRestarts >= 0, "--broker-restarts must not be negative");
        require(!duration.isNegative() && !duration.isZero(), "--duration must be positive");
        require(accounts >= 0 && audits >= 0, "--accounts and --audits must not be negative");
        require(partitions >= 1, "--partitions must be at least 1");
        require(poison >= -1, "--poison must not be negative");
        require(brokers >= 1 && brokers <= 9, "--brokers must be 1 to 9 (3 for a replicated cluster)");
        require(pauses >= 0 && networkFaults >= 0 && brokerPauses >= 0 && appBounces >= 0 && brokerBounces >= 0,
                "--pauses, --network-faults, --broker-pauses, --bounces and --broker-bounces must not be negative");
        scaleSteps = List.copyOf(scaleSteps);
        for (int step : scaleSteps) {
            require(step >= 1 && step <= MAX_PROCESSES, "--scale: each step is a process count from 1 to " + MAX_PROCESSES
                    + ", not " + step);
        }
        appConfig = Map.copyOf(appConfig);
    }

    /** The CI-sized defaults, as {@code ved verify} runs without options. */
    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    /**
     * The cluster profile ({@code ved verify --cluster}): 3 brokers, 100,000 deposits over 6.5 minutes, the
     * accounts application growing from 1 process to 3 and shrinking to 2, at least 10 app kills, 3 app pauses,
     * 2 broker kill -9's (a partition leader, then the active controller), a broker pause, a clean broker bounce,
     * a clean app bounce and a network black-hole, with the audits in a second application. The apps commit every
     * second, as Kafka's EOS test has them do, so a kill -9 finds a transaction open.
     */
    public static Builder clusterProfile(Path workDir) {
        return new Builder(workDir).brokers(3).messages(100_000).duration(Duration.ofSeconds(390)).processes(1)
                .scaleSteps(List.of(3, 2)).kills(10).pauses(3).brokerRestarts(2).brokerPauses(1).brokerBounces(1)
                .appBounces(1).networkFaults(1).crossApplication(true).appConfig(Map.of("commit.interval.ms", "1000"));
    }

    public Builder toBuilder() {
        return new Builder(this);
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

    /** Broker faults (and network faults, which need the brokers' extra listener) need brokers this run started. */
    public int plannedBrokerRestarts() {
        return bootstrap.isPresent() ? 0 : brokerRestarts;
    }

    public int plannedBrokerPauses() {
        return bootstrap.isPresent() ? 0 : brokerPauses;
    }

    public int plannedBrokerBounces() {
        return bootstrap.isPresent() ? 0 : brokerBounces;
    }

    public int plannedNetworkFaults() {
        return bootstrap.isPresent() ? 0 : networkFaults;
    }

    /** The most processes the accounts application has at once. */
    public int mostProcesses() {
        return Math.max(processes, scaleSteps.stream().mapToInt(Integer::intValue).max().orElse(processes));
    }

    /** How long a pause or a black-hole holds an app process: past its group's 10 s session timeout, so it is fenced. */
    public Duration pauseLength() {
        return Duration.ofSeconds(14);
    }

    /** How long a broker pause lasts: past the 9 s broker session timeout, so the controller fences the broker. */
    public Duration brokerPauseLength() {
        return Duration.ofSeconds(12);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Builds {@link VerifySettings}; each setter's meaning is the record component of the same name. Not thread-safe. */
    public static final class Builder {
        private int messages = 20_000;
        private int processes = 2;
        private int minKills = 3;
        private int brokerRestarts = 1;
        private Duration duration = Duration.ofSeconds(90);
        private long seed = System.nanoTime();
        private int accounts;
        private int audits;
        private int partitions = 6;
        private int poison = -1;
        private Optional<Path> clientConfig = Optional.empty();
        private Optional<String> bootstrap = Optional.empty();
        private Optional<String> registry = Optional.empty();
        private Map<String, String> appConfig = Map.of();
        private Path workDir;
        private Duration catchUp = Duration.ofMinutes(5);
        private Duration progressEvery = Duration.ofSeconds(5);
        private int brokers = 1;
        private int pauses;
        private boolean crossApplication;
        private List<Integer> scaleSteps = List.of();
        private int networkFaults;
        private int brokerPauses;
        private int appBounces;
        private int brokerBounces;

        private Builder(Path workDir) {
            this.workDir = workDir;
        }

        private Builder(VerifySettings s) {
            messages = s.messages;
            processes = s.processes;
            minKills = s.minKills;
            brokerRestarts = s.brokerRestarts;
            duration = s.duration;
            seed = s.seed;
            accounts = s.accounts;
            audits = s.audits;
            partitions = s.partitions;
            poison = s.poison;
            bootstrap = s.bootstrap;
            registry = s.registry;
            appConfig = s.appConfig;
            workDir = s.workDir;
            catchUp = s.catchUp;
            progressEvery = s.progressEvery;
            brokers = s.brokers;
            pauses = s.pauses;
            crossApplication = s.crossApplication;
            scaleSteps = s.scaleSteps;
            networkFaults = s.networkFaults;
            brokerPauses = s.brokerPauses;
            appBounces = s.appBounces;
            brokerBounces = s.brokerBounces;
            clientConfig = s.clientConfig;
        }

        public Builder messages(int n) { messages = n; return this; }
        public Builder processes(int n) { processes = n; return this; }
        public Builder kills(int n) { minKills = n; return this; }
        public Builder brokerRestarts(int n) { brokerRestarts = n; return this; }
        public Builder duration(Duration d) { duration = d; return this; }
        public Builder seed(long s) { seed = s; return this; }
        public Builder accounts(int n) { accounts = n; return this; }
        public Builder audits(int n) { audits = n; return this; }
        public Builder partitions(int n) { partitions = n; return this; }
        public Builder poison(int n) { poison = n; return this; }
        public Builder bootstrap(Optional<String> servers) { bootstrap = servers; return this; }
        public Builder registry(Optional<String> url) { registry = url; return this; }
        public Builder appConfig(Map<String, String> config) { appConfig = config; return this; }
        public Builder workDir(Path dir) { workDir = dir; return this; }
        public Builder catchUp(Duration d) { catchUp = d; return this; }
        public Builder progressEvery(Duration d) { progressEvery = d; return this; }
        public Builder brokers(int n) { brokers = n; return this; }
        public Builder pauses(int n) { pauses = n; return this; }
        public Builder crossApplication(boolean on) { crossApplication = on; return this; }
        public Builder scaleSteps(List<Integer> steps) { scaleSteps = steps; return this; }
        public Builder networkFaults(int n) { networkFaults = n; return this; }
        public Builder brokerPauses(int n) { brokerPauses = n; return this; }
        public Builder appBounces(int n) { appBounces = n; return this; }
        public Builder brokerBounces(int n) { brokerBounces = n; return this; }
        public Builder clientConfig(Optional<Path> file) { clientConfig = file; return this; }

        /** @throws IllegalArgumentException naming the option whose value is out of range */
        public VerifySettings build() {
            return new VerifySettings(messages, processes, minKills, brokerRestarts, duration, seed, accounts, audits,
                    partitions, poison, bootstrap, registry, appConfig, workDir, catchUp, progressEvery, brokers, pauses,
                    crossApplication, scaleSteps, networkFaults, brokerPauses, appBounces, brokerBounces, clientConfig);
        }
    }
}
