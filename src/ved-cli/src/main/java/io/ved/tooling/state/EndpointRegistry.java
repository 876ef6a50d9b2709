package io.ved.tooling.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ved.tooling.stack.StackFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where running {@code ved run} processes say where their state endpoints are: one file per process,
 * {@code .ved/endpoints/<application>-<pid>} under the Ved home, written on start and removed on stop. A file
 * whose process is gone (killed without its shutdown hook) is stale and ignored.
 */
public final class EndpointRegistry {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    private EndpointRegistry() {
    }

    /** One registered endpoint. */
    public record Entry(String application, long pid, String endpoint, Instant startedAt) {
        public boolean alive() {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    public static Path directory() {
        return StackFile.home().resolve(".ved").resolve("endpoints");
    }

    /** Registers this process's endpoint; closing the registration removes it. */
    public static Registration register(String application, String hostAndPort) {
        long pid = ProcessHandle.current().pid();
        Path file = directory().resolve(application + "-" + pid);
        try {
            Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), new Entry(application, pid, hostAndPort, Instant.now()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return new Registration(file);
    }

    /** The endpoints of live processes of this application, newest first. */
    public static List<Entry> live(String application) {
        List<Entry> entries = new ArrayList<>();
        Path dir = directory();
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().startsWith(application + "-")).forEach(f -> {
                try {
                    Entry e = JSON.readValue(f.toFile(), Entry.class);
                    if (e.application().equals(application) && e.alive()) {
                        entries.add(e);
                    }
                } catch (IOException unreadable) {
                    // half-written or foreign: not an endpoint
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        entries.sort(Comparator.comparing(Entry::startedAt).reversed());
        return entries;
    }

    /** A registered endpoint; {@link #close} removes its file. */
    public static final class Registration implements AutoCloseable {
        private final Path file;

        private Registration(Path file) {
            this.file = file;
        }

        public Path file() {
            return file;
        }

        @Override
        public void close() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // best effort: a stale file is ignored by readers once the process is gone
            }
        }
    }
}
