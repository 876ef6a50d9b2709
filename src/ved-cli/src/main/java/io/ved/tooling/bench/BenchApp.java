package io.ved.tooling.bench;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/** A Kafka Streams application under measurement: bare Streams (b) or Ved (c, d). */
abstract class BenchApp implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private KafkaStreams streams;
    private int commitIntervalMs;
    private long nextSeq;
    private boolean paused;
    private volatile Throwable failure;
    private java.util.function.Consumer<KafkaStreams> beforeStart = s -> { };

    /** The variant's id in the report, e.g. "b". */
    abstract String id();

    abstract String name();

    abstract String description();

    /** The Kafka Streams application id (also its consumer group). */
    abstract String applicationId();

    abstract String inputTopic();

    /** Creates the topics the application reads and writes (Kafka Streams creates its changelogs). */
    abstract void createTopics(BenchStack stack, int partitions);

    /** Builds the application with this commit interval; not yet started. */
    abstract KafkaStreams build(int commitIntervalMs);

    /**
     * What to read to see a message's effect committed: a topic and what to take from each record of it. The
     * handler gets the record and the wall-clock time it was received.
     */
    record Probe(String topic, ProbeHandler handler) {
    }

    @FunctionalInterface
    interface ProbeHandler {
        void accept(ConsumerRecord<byte[], byte[]> record, long receivedMs);
    }

    /** Where latency is observed, feeding the end-to-end and (where the variant can tell) in-processor recorders. */
    abstract List<Probe> probes(LatencyRecorder endToEnd, LatencyRecorder inProcessor);

    /** Whether {@link #probes} or the processor itself fill the in-processor recorder. */
    abstract boolean measuresInProcessor();

    /** The threads whose CPU time counts as the application's. */
    Predicate<String> threads() {
        return name -> name.contains(applicationId());
    }

    /** Starts with the given commit interval and waits until it runs (tasks assigned, state restored). */
    void start(int commitIntervalMs) {
        this.commitIntervalMs = commitIntervalMs;
        this.paused = false;
        streams = build(commitIntervalMs);
        streams.setUncaughtExceptionHandler(e -> {
            failure = e;
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        beforeStart.accept(streams);
        streams.start();
        awaitRunning();
    }

    /** Sets what to do to the next {@link KafkaStreams} before it starts (e.g. add a restore listener). */
    void beforeStart(java.util.function.Consumer<KafkaStreams> hook) {
        this.beforeStart = hook;
    }

    void awaitRunning() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            checkAlive();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(applicationId() + " did not reach RUNNING within " + START_TIMEOUT.toSeconds() + " s");
            }
            BenchStack.sleep(20);
        }
    }

    void checkAlive() {
        if (failure != null) {
            throw new IllegalStateException(applicationId() + " failed: " + failure, failure);
        }
        KafkaStreams.State state = streams.state();
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR || state == KafkaStreams.State.NOT_RUNNING) {
            throw new IllegalStateException(applicationId() + " stopped (" + state + ")");
        }
    }

    void pause() {
        streams.pause();
        paused = true;
    }

    void resume() {
        streams.resume();
        paused = false;
    }

    /** Makes it run, unpaused, with this commit interval: resumed, or (re)started. */
    void ensureRunning(BenchStack stack, int partitions, int commitIntervalMs) {
        if (runsWith(commitIntervalMs)) {
            if (paused) {
                resume();
            }
            return;
        }
        stop();
        createTopics(stack, partitions);
        start(commitIntervalMs);
    }

    KafkaStreams streams() {
        return streams;
    }

    /** Takes the sequence numbers of the next {@code count} messages to produce to it. */
    long takeSeq(long count) {
        long first = nextSeq;
        nextSeq += count;
        return first;
    }

    int commitIntervalMs() {
        return commitIntervalMs;
    }

    /** Whether it runs with this commit interval. */
    boolean runsWith(int commitIntervalMs) {
        return streams != null && this.commitIntervalMs == commitIntervalMs;
    }

    /** Stops, leaving the group, so that the next start gets its partitions at once. */
    void stop() {
        if (streams != null) {
            streams.close(org.apache.kafka.streams.CloseOptions.groupMembershipOperation(
                    org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(60)));
            streams = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
