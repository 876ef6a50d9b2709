package io.ved.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed CLI reference is what the command definitions generate: it cannot drift from the code. */
class CliReferenceTest {
    private static final Path COMMITTED = Path.of("../../docs/reference/cli-usage.md");

    @Test
    void theCommittedReferenceIsTheGeneratedOne() throws Exception {
        String generated = CliReference.markdown();
        Path fresh = Path.of("target/cli-usage.md");
        Files.writeString(fresh, generated, StandardCharsets.UTF_8);

        assertThat(COMMITTED).as("docs/reference/cli-usage.md").exists();
        assertThat(Files.readString(COMMITTED)).as("docs/reference/cli-usage.md is out of date: "
                        + "cp src/ved-tests/target/cli-usage.md docs/reference/cli-usage.md")
                .isEqualTo(generated);
        assertThat(generated).contains("## `ved send`", "## `ved dlq redrive`", "--app=JAR");
    }
}
