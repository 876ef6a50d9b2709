package io.ved.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The example application touches only Ved's public API: no Kafka Streams, no runtime internals. This is
 * how a user's domain should look, so the example must not cheat.
 */
class LayeringTest {
    private static final Pattern IMPORT = Pattern.compile("^import (static )?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void theExampleDomainsImportOnlyTheApiTheirSchemasAndTheJdk() throws IOException {
        List<String> offending;
        try (Stream<Path> files = Files.walk(Path.of("../../domains/src/main/java"))) {
            offending = files.filter(p -> p.toString().endsWith(".java")).flatMap(LayeringTest::imports)
                    .filter(i -> !(i.startsWith("io.ved.api.") || i.startsWith("io.ved.example.") || i.startsWith("java.")))
                    .toList();
        }
        assertThat(offending).as("imports outside io.ved.api, the generated schemas and the JDK").isEmpty();
    }

    private static Stream<String> imports(Path file) {
        try {
            Matcher m = IMPORT.matcher(Files.readString(file));
            return m.results().map(r -> file.getFileName() + ": " + r.group(2)).map(s -> s.substring(s.indexOf(": ") + 2));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
