package io.ved.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ved.cli.VedVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's project, from nothing to a running application outside this repository: {@code ved new} generates it from
 * the installed archetype, its own {@code mvn -o verify} builds it (its story test and its real-stack test run and
 * pass), and its runnable jar runs on this run's broker and registry, where {@code ved topics apply}, {@code ved send},
 * {@code ved state}, {@code ved trace}, {@code ved dlq} and {@code ved replay} with {@code --app} find its domain and run
 * its handler code.
 *
 * <p>It needs this build's artifacts in the local repository, which {@code mvn install} (the README's test command)
 * puts there before these tests run; under a plain {@code mvn verify} it is skipped with a line saying so.
 */
class ArchetypeIT {
    private static final Duration BUILD_LIMIT = Duration.ofMinutes(10);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Pattern CORRELATION = Pattern.compile("correlation id:\\s+(\\S+)");
    private final ClassLoader original = Thread.currentThread().getContextClassLoader();

    @TempDir
    Path dir;

    @AfterEach
    void restoreContextClassLoader() {
        Thread.currentThread().setContextClassLoader(original); // --app sets it for the application's classes
    }

    @Test
    void aGeneratedProjectBuildsPassesItsTestsAndRunsOnTheStack() throws Exception {
        Path repository = Path.of(System.getProperty("ved.it.repo.local", System.getProperty("user.home") + "/.m2/repository"));
        assumeTrue(installedFromThisBuild(repository), "ArchetypeIT: this build's io.ved artifacts are not in " + repository
                + " (run 'mvn install', the README's test command, rather than 'mvn verify'); skipped");
        String artifactId = "orders-" + UUID.randomUUID().toString().substring(0, 8);
        Path project = dir.resolve(artifactId);

        CliRun created = CliRun.of("new", project.toString(), "--package", "com.acme.orders", "--offline", "--maven", mvnPath());
        assertThat(created.exit()).as(created.toString()).isZero();
        assertThat(project.resolve("src/main/java/com/acme/orders/AccountDomain.java")).exists();
        assertThat(project.resolve(".gitignore")).exists();
        assertThat(Files.readString(project.resolve("topology/" + artifactId + ".yaml"))).contains("application: " + artifactId);

        Path log = dir.resolve("generated-build.log");
        int built = run(List.of(mvnPath(), "-B", "-ntp", "-o", "-Dmaven.repo.local=" + repository, "verify"), project, log);
        assertThat(built).as("mvn -o verify in the generated project; its log's end:\n" + tail(log)).isZero();
        assertThat(report(project, "surefire-reports", "AccountDomainTest")).contains("tests=\"5\"").contains("failures=\"0\"").contains("errors=\"0\"");
        assertThat(report(project, "failsafe-reports", "AccountIT")).contains("tests=\"1\"").contains("failures=\"0\"").contains("errors=\"0\"");

        // the Dockerfile copies what 'mvn package' built: the jar its APP_JAR names by default, and target/lib
        String dockerfile = Files.readString(project.resolve("Dockerfile"));
        assertThat(dockerfile).contains("ARG APP_JAR=target/" + artifactId + "-1.0-SNAPSHOT.jar").contains("COPY target/lib/ /app/lib/")
                .contains("ENTRYPOINT [\"java\", \"-jar\", \"/app/app.jar\"]");
        assertThat(project.resolve("target/lib").resolve("ved-core-" + VedVersion.ved() + ".jar")).exists();
        assertThat(project.resolve("target/lib").toFile().list()).noneMatch(name -> name.startsWith("kafka_2.13")
                || name.startsWith("picocli") || name.startsWith("ved-testkit") || name.startsWith("junit"));

        runTheJarOnTheStack(project, artifactId);
    }

    private void runTheJarOnTheStack(Path project, String artifactId) throws Exception {
        RealStack stack = RealStack.get();
        String jar = project.resolve("target/" + artifactId + "-1.0-SNAPSHOT.jar").toString();
        List<String> on = List.of("--app", jar, "--bootstrap", stack.bootstrap(), "--registry", stack.registryUrl());
        CliRun topics = CliRun.of(concat(List.of("topics", "apply"), on));
        assertThat(topics.exit()).as(topics.toString()).isZero();

        ProcessBuilder app = new ProcessBuilder(javaExecutable(), "-jar", jar).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("app.log").toFile());
        app.environment().put("VED_BOOTSTRAP_SERVERS", stack.bootstrap());
        app.environment().put("VED_SCHEMA_REGISTRY", stack.registryUrl());
        app.environment().put("VED_STATE_DIR", dir.resolve("state").toString());
        Process running = app.start();
        try {
            List<String> correlations = new ArrayList<>();
            for (String message : List.of("AccountDomain[acc-1] Deposit(amount: 500)", "AccountDomain[acc-1] Withdraw(amount: 120)",
                    "AccountDomain[acc-1] Deposit(amount: 0)")) {
                CliRun sent = CliRun.of(concat(List.of("send"), on, List.of(message)));
                assertThat(sent.exit()).as(sent.toString()).isZero();
                Matcher correlation = CORRELATION.matcher(sent.out());
                assertThat(correlation.find()).as(sent.out()).isTrue();
                correlations.add(correlation.group(1));
            }
            await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                assertThat(running.isAlive()).as("the application's log:\n" + tail(dir.resolve("app.log"))).isTrue();
                CliRun state = CliRun.of(concat(List.of("state", "--changelog", "--json"), on, List.of("AccountDomain[acc-1]")));
                assertThat(state.exit()).as(state.toString()).isZero();
                JsonNode json = new ObjectMapper().readTree(state.out());
                assertThat(json.get("balance").asLong()).isEqualTo(380L);
            });

            // the user's handler code, from the jar, in the debugging tools
            CliRun trace = CliRun.of(concat(List.of("trace"), on, List.of(correlations.get(0))));
            assertThat(trace.exit()).as(trace.toString()).isZero();
            assertThat(trace.out()).contains("Deposit").contains("AccountDomain[acc-1]");
            String deadLetterId = await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
                JsonNode list = new ObjectMapper().readTree(CliRun.of(concat(List.of("dlq", "list", "--json"), on)).out());
                return list.get("deadLetters").size() == 1 ? list.get("deadLetters").get(0) : null;
            }, d -> d != null).get("id").asText();
            CliRun redriven = CliRun.of(concat(List.of("dlq", "redrive"), on, List.of(deadLetterId)));
            assertThat(redriven.exit()).as(redriven.toString()).isZero();
            assertThat(redriven.out()).contains("1 of 1 redriven");
            CliRun replay = CliRun.of(concat(List.of("replay"), on, List.of("AccountDomain[acc-1]")));
            assertThat(replay.exit()).as(replay.toString()).isZero();
            assertThat(replay.out()).contains("WOULD FAIL HANDLER_FAILED: java.lang.IllegalArgumentException: an amount must be more than zero, got 0")
                    .contains("state   balance: 0 -> 500").contains("The replay matches the live state");
        } finally {
            running.destroy(); // SIGTERM: the application's shutdown hook closes it
            if (!running.waitFor(30, TimeUnit.SECONDS)) {
                running.destroyForcibly();
            }
        }
        assertThat(Files.readString(dir.resolve("app.log"))).contains(artifactId + ": running");
    }

    /** The installed ved-core and ved-testkit are the jars this build made (not an older install's). */
    private static boolean installedFromThisBuild(Path repository) throws IOException {
        String version = VedVersion.ved();
        Path modules = Path.of("..").toAbsolutePath().normalize();
        for (String module : List.of("ved-core", "ved-testkit")) {
            Path installed = repository.resolve("io/ved/" + module + "/" + version + "/" + module + "-" + version + ".jar");
            Path built = modules.resolve(module + "/target/" + module + "-" + version + ".jar");
            if (!Files.exists(installed) || !Files.exists(built) || Files.mismatch(installed, built) != -1) {
                return false;
            }
        }
        return Files.exists(repository.resolve("io/ved/ved-archetype/" + version + "/ved-archetype-" + version + ".jar"));
    }

    private static String report(Path project, String folder, String test) throws IOException {
        return Files.readString(project.resolve("target/" + folder + "/TEST-com.acme.orders." + test + ".xml"));
    }

    private static int run(List<String> command, Path workingDir, Path log) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        if (!process.waitFor(BUILD_LIMIT.toMinutes(), TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end within " + BUILD_LIMIT.toMinutes() + " min; log's end:\n" + tail(log));
        }
        return process.exitValue();
    }

    /** The Maven running this build (failsafe passes its home), else the first mvn on the PATH. */
    private static String mvnPath() {
        String home = System.getProperty("ved.it.maven.home");
        if (home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
            return Path.of(home, "bin", "mvn").toString();
        }
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .map(p -> Path.of(p, "mvn")).filter(Files::isExecutable).findFirst()
                .map(Path::toString).orElseThrow(() -> new AssertionError("no mvn: neither -Dved.it.maven.home nor the PATH has one"));
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    @SafeVarargs
    private static String[] concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all.toArray(String[]::new);
    }
}
