package io.ved.cli;

import static io.ved.cli.CliErrorsTest.assertRefused;
import static io.ved.cli.CliErrorsTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ved new} refuses what Maven would only fail on later, in one line; the generation itself is ArchetypeIT's. */
class NewCommandTest {
    @TempDir
    Path dir;

    @Test
    void aPackageThatIsNotJavaIsRefused() {
        assertRefused(run("new", dir.resolve("orders").toString(), "--package", "com.acme.2orders"), "--package com.acme.2orders is not a Java package name");
        assertRefused(run("new", dir.resolve("orders").toString(), "--package", "com.new.orders"), "--package com.new.orders is not a Java package name");
        assertThat(dir.resolve("orders")).doesNotExist();
    }

    @Test
    void anExistingFolderIsNotOverwritten() throws Exception {
        Path existing = Files.createDirectory(dir.resolve("orders"));
        assertRefused(run("new", existing.toString(), "--package", "com.acme.orders"), "exists already");
    }

    @Test
    void aFolderNameThatCannotBeAnArtifactIdIsRefused() {
        assertRefused(run("new", dir.resolve("my orders").toString(), "--package", "com.acme.orders"), "becomes the artifactId");
    }

    @Test
    void aMissingPackageIsNamed() {
        CliErrorsTest.Result result = run("new", dir.resolve("orders").toString());
        assertThat(result.exit()).isEqualTo(VedCli.USAGE_ERROR);
        assertThat(result.err()).contains("Missing required option: '--package=PACKAGE'");
    }

    @Test
    void aMavenThatIsNotThereIsNamedWithTheFix() {
        assertRefused(run("new", dir.resolve("orders").toString(), "--package", "com.acme.orders", "--maven", "/nowhere/mvn"),
                "--maven /nowhere/mvn is not an executable file");
    }

    @Test
    void anArchetypeNeverInstalledPointsToMvnInstall() {
        String maven = "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-archetype-plugin:3.4.1:generate (default-cli) "
                + "on project standalone-pom: The desired archetype does not exist (io.ved:ved-archetype:0.1.0-SNAPSHOT) -> [Help 1]";
        assertThat(NewCommand.failure(maven, Path.of("/tmp/x.log")))
                .contains("Maven cannot find io.ved:ved-archetype:").contains("run 'mvn install -DskipTests' in Ved's checkout first");
        assertThat(NewCommand.failure("[ERROR] something else broke\n", Path.of("/tmp/x.log")))
                .isEqualTo("archetype:generate failed: something else broke (log: /tmp/x.log)");
    }

    @Test
    void theVersionIsTheBuildsOwn() {
        CliErrorsTest.Result result = run("--version");
        assertThat(result.out().strip()).isEqualTo("ved " + VedVersion.ved()).doesNotContain("${");
    }
}
