package io.ved.tooling.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Where {@code ved up} writes the addresses of the stack it started, so {@code ved send}, {@code ved run} and
 * {@code ved down} find it without flags: {@code .ved/stack.json} under the Ved home (the repository root).
 */
public final class StackFile {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What is running: addresses for clients, process ids for {@code ved down}. {@code kafkaPids} holds every broker's
     * (one for the single-node stack, as {@code kafkaPid}; a file written before clusters existed has none).
     */
    public record Stack(String bootstrapServers, String registryUrl, long kafkaPid, long registryPid, String workDir,
                        Instant startedAt, java.util.List<Long> kafkaPids) {
        public Stack {
            kafkaPids = kafkaPids == null || kafkaPids.isEmpty() ? java.util.List.of(kafkaPid) : java.util.List.copyOf(kafkaPids);
        }

        /** How many brokers the stack has. */
        public int brokers() {
            return kafkaPids.size();
        }
    }

    private StackFile() {
    }

    public static Path home() {
        return Path.of(System.getProperty("ved.home", ".")).toAbsolutePath().normalize();
    }

    public static Path location() {
        return home().resolve(".ved").resolve("stack.json");
    }

    public static Path workDir() {
        return home().resolve(".ved").resolve("stack");
    }

    public static Optional<Stack> read() {
        Path file = location();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), Stack.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (delete it if no stack is running)", e);
        }
    }

    public static void write(Stack stack) {
        try {
            Files.createDirectories(location().getParent());
            JSON.writeValue(location().toFile(), stack);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + location(), e);
        }
    }

    /** Deletes a directory tree, ignoring what is already gone. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    public static void delete() {
        try {
            Files.deleteIfExists(location());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + location(), e);
        }
    }
}
