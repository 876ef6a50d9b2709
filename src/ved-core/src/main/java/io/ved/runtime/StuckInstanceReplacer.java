package io.ved.runtime;

import io.ved.envelope.Envelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a Kafka Streams instance one of whose stream threads is stuck in a handler for good. Adding a stream
 * thread is not enough: the stuck thread holds the state-directory locks of its tasks, which Kafka Streams grants per
 * thread, so no other thread of the same instance could ever open those tasks, and their partitions would stand
 * still even after the stuck consumer has left the group. A new instance has its own locks: it gets the configured
 * number of threads, and the stuck thread's tasks once its consumer leaves the group ({@code max.poll.interval.ms}
 * after its last poll). The old instance's state directory stays locked by the stuck thread, so the new instance
 * runs on {@code <state.dir>/replaced-<n>}; the task directories the old instance closed cleanly are moved there, so
 * that only the stuck thread's tasks are restored from their changelogs.
 *
 * <p>Used by one thread at a time (the abandoned-message reporter).
 */
final class StuckInstanceReplacer {
    private static final Logger LOG = LoggerFactory.getLogger(StuckInstanceReplacer.class);
    static final String REPLACED_PREFIX = "replaced-";
    /** How long the healthy threads of the old instance get to commit and close their tasks. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private final String application;
    private final Path stateDir;
    private final Factory factory;
    private Path currentDir;
    private int generation;

    /** Creates (not starts) an instance on the given state directory; generation n for the n-th replacement. */
    @FunctionalInterface
    interface Factory {
        KafkaStreams create(Path stateDir, int generation);
    }

    StuckInstanceReplacer(String application, Path stateDir, Factory factory) {
        this.application = application;
        this.stateDir = stateDir;
        this.factory = factory;
        this.currentDir = stateDir;
    }

    /** Whether the thread is one of the instance's stream threads. */
    static boolean runs(KafkaStreams streams, Thread thread) {
        return streams.metadataForLocalThreads().stream().anyMatch(t -> t.threadName().equals(thread.getName()));
    }

    /**
     * Deletes this application's state directories of replacements made by an earlier run of this process: they were
     * in use only while its first directory was locked; their tasks are restored from the changelogs when next
     * assigned. Call once this process holds the lock of its state directory, so a second process started by mistake
     * (which fails to take that lock) never deletes a running one's.
     */
    void removeEarlierReplacements() {
        if (!Files.isDirectory(stateDir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(stateDir)) {
            for (Path dir : entries.filter(p -> p.getFileName().toString().startsWith(REPLACED_PREFIX)).toList()) {
                Path ours = dir.resolve(application);
                if (Files.isDirectory(ours)) {
                    LOG.info("Removing {}, the state of an instance that replaced a stuck one in an earlier run", ours);
                    deleteTree(ours);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list state directory " + stateDir, e);
        }
    }

    /** Closes what of {@code stuck} can close and starts its replacement, which it returns. */
    KafkaStreams replace(KafkaStreams stuck, Thread thread, Envelope message) {
        LOG.error("Stream thread {} is stuck in the handler of {} for {} message {}: replacing this Kafka Streams instance "
                        + "(its other threads commit and close, a new instance starts with the configured threads; the stuck "
                        + "thread's partitions move on once its consumer leaves the group, within max.poll.interval.ms)",
                thread.getName(), message.subject(), message.type(), message.id());
        Set<String> stuckTasks = tasksOf(stuck, thread.getName());
        // Without waiting: Kafka Streams' close would wait for the stuck thread too, which never ends. (Its shutdown
        // thread waits on it for good, holding the old instance's clients: one set per given-up thread.)
        stuck.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ZERO));
        boolean othersClosed = awaitOthersDead(stuck, thread.getName());
        generation++;
        Path next = stateDir.resolve(REPLACED_PREFIX + generation);
        if (othersClosed) {
            moveClosedTasks(currentDir.resolve(application), next.resolve(application), stuckTasks);
        } else {
            LOG.warn("Not every healthy stream thread of the stuck instance closed within {} s: the new instance restores "
                    + "all its tasks from their changelogs", CLOSE_WAIT.toSeconds());
        }
        currentDir = next;
        KafkaStreams replacement = factory.create(next, generation);
        replacement.start();
        LOG.info("Kafka Streams instance replaced; the new one runs on {}", next);
        return replacement;
    }

    private static Set<String> tasksOf(KafkaStreams streams, String threadName) {
        Set<String> tasks = new HashSet<>();
        for (ThreadMetadata t : streams.metadataForLocalThreads()) {
            if (t.threadName().equals(threadName)) {
                t.activeTasks().forEach(task -> tasks.add(task.taskId().toString()));
                t.standbyTasks().forEach(task -> tasks.add(task.taskId().toString()));
            }
        }
        return tasks;
    }

    /** Waits until the instance lists no thread but the stuck one (Kafka Streams leaves dead threads out). */
    private static boolean awaitOthersDead(KafkaStreams streams, String stuckThread) {
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            boolean allDead = streams.metadataForLocalThreads().stream()
                    .filter(t -> !t.threadName().equals(stuckThread))
                    .allMatch(t -> t.threadState().equals("DEAD"));
            if (allDead) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Moves task directories (named like {@code 0_3}) that the stuck thread did not own. */
    private static void moveClosedTasks(Path from, Path to, Set<String> stuckTasks) {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> entries = Files.list(from)) {
            List<Path> tasks = entries.filter(Files::isDirectory)
                    .filter(p -> p.getFileName().toString().matches("\\d+_\\d+"))
                    .filter(p -> !stuckTasks.contains(p.getFileName().toString()))
                    .toList();
            Files.createDirectories(to);
            for (Path task : tasks) {
                Files.move(task, to.resolve(task.getFileName()));
            }
            LOG.info("Moved {} cleanly closed task director{} to {}; the stuck thread's tasks {} are restored from their "
                    + "changelogs", tasks.size(), tasks.size() == 1 ? "y" : "ies", to, stuckTasks);
        } catch (IOException e) {
            LOG.warn("Could not move the closed task directories from {} to {} ({}): the new instance restores them from "
                    + "their changelogs", from, to, e.toString());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
