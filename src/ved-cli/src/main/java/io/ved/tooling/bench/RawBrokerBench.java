package io.ved.tooling.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * (a) The raw broker: a transactional producer committing every commit interval, and a read_committed consumer of
 * the same records. What the broker does for every variant's input and output, with no processing between.
 */
final class RawBrokerBench {
    private final String topic;
    private static final String THREAD_PREFIX = "bench-a-";

    private final BenchStack stack;
    private final Load load;
    private final int partitions;
    private long nextSeq;

    RawBrokerBench(BenchStack stack, Load load, int partitions, String runId) {
        this.topic = "bench.a." + runId;
        this.stack = stack;
        this.load = load;
        this.partitions = partitions;
    }

    static String name() {
        return "raw broker";
    }

    static String description() {
        return "transactional producer (a commit every commit interval) -> read_committed consumer of the same records";
    }

    void createTopics() {
        stack.createTopics(partitions, topic);
    }

    private KafkaProducer<byte[], byte[]> transactionalProducer(String id) {
        Map<String, Object> config = Load.producerConfig(stack.bootstrap(), THREAD_PREFIX + "producer");
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        KafkaProducer<byte[], byte[]> producer = Load.producer(config);
        producer.initTransactions();
        return producer;
    }

    /** A consumer thread counting what it sees. */
    private final class Counter implements AutoCloseable {
        private final AtomicLong seen = new AtomicLong();
        private final ProbeConsumer consumer;

        Counter() {
            consumer = new ProbeConsumer(stack.bootstrap(), List.of(new BenchApp.Probe(topic, (r, t) -> seen.incrementAndGet())),
                    THREAD_PREFIX + "consumer");
        }

        void await(long count, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (seen.get() < count) {
                consumer.received();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("(a) the consumer saw " + seen.get() + " of " + count + " records");
                }
                LockSupportSleep.micros(200);
            }
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    /** Produces {@code warmup} then {@code messages} records, timing the latter from first send until all are consumed. */
    BenchResult.Throughput throughput(int warmup, int messages, int commitIntervalMs) throws Exception {
        long base = nextSeq;
        nextSeq += warmup + (long) messages;
        try (Counter counter = new Counter();
             KafkaProducer<byte[], byte[]> producer = transactionalProducer("bench-a-throughput")) {
            produceInTransactions(producer, base, base + warmup, commitIntervalMs);
            counter.await(warmup, Duration.ofMinutes(5));
            CpuMeter cpu = CpuMeter.start(name -> name.contains(THREAD_PREFIX));
            long t0 = System.nanoTime();
            Thread sender = new Thread(() -> produceInTransactions(producer, base + warmup, base + warmup + messages, commitIntervalMs),
                    THREAD_PREFIX + "sender");
            sender.start();
            counter.await(warmup + (long) messages, Duration.ofMinutes(10));
            long t1 = System.nanoTime();
            sender.join();
            double seconds = (t1 - t0) / 1e9;
            return new BenchResult.Throughput(commitIntervalMs, messages, seconds, messages / seconds, cpu.threadNanos() / 1e3 / messages,
                    cpu.processNanos() / 1e3 / messages, List.of());
        }
    }

    private void produceInTransactions(KafkaProducer<byte[], byte[]> producer, long from, long to, int commitIntervalMs) {
        long now = System.currentTimeMillis();
        producer.beginTransaction();
        long started = System.nanoTime();
        for (long seq = from; seq < to; seq++) {
            producer.send(new ProducerRecord<>(topic, null, now, load.keyOf(seq), load.valueOf(seq)));
            if (System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(commitIntervalMs)) {
                producer.commitTransaction();
                producer.beginTransaction();
                started = System.nanoTime();
                now = System.currentTimeMillis();
            }
        }
        producer.commitTransaction();
    }

    /** Send at {@code rate}, committing every commit interval; latency until the consumer sees each record. */
    BenchResult.Latency latency(double rate, int commitIntervalMs, int warmupSeconds, int seconds) {
        LatencyRecorder endToEnd = new LatencyRecorder();
        try (ProbeConsumer probe = new ProbeConsumer(stack.bootstrap(), List.of(new BenchApp.Probe(topic,
                (r, receivedMs) -> endToEnd.record(r.timestamp(), receivedMs - r.timestamp()))), THREAD_PREFIX + "probe");
             KafkaProducer<byte[], byte[]> producer = transactionalProducer("bench-a-latency-" + commitIntervalMs)) {
            long windowStart = System.currentTimeMillis() + warmupSeconds * 1000L;
            long windowEnd = windowStart + seconds * 1000L;
            endToEnd.window(windowStart, windowEnd);
            Load.Paced paced = load.paced(producer, topic, rate, windowStart, windowEnd, nextSeq, commitIntervalMs,
                    new AtomicBoolean());
            nextSeq += paced.sent();
            Bench.awaitSamples(endToEnd, paced.inWindow(), probe);
            return new BenchResult.Latency(commitIntervalMs, rate, paced.inWindow(), BenchResult.Stats.of(endToEnd.stats()), null);
        }
    }

    /** Sleeps briefly without the millisecond granularity of Thread.sleep. */
    static final class LockSupportSleep {
        private LockSupportSleep() {
        }

        static void micros(long micros) {
            java.util.concurrent.locks.LockSupport.parkNanos(micros * 1000);
        }
    }
}
