package io.ved.tooling.verify;

import io.ved.api.MessageId;
import io.ved.envelope.Envelope;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.MessageCodec;
import io.ved.tooling.verify.model.Deposit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends the plan's deposits at a steady rate over the run's duration, in seq order, with an idempotent
 * producer: a retry after a broker restart cannot duplicate or reorder a deposit in its inbox. A deposit counts
 * as sent once the broker has acknowledged it. The producer waits out a broker restart (its timeouts are
 * minutes), and a deposit that still fails stops the run, since the check would then be meaningless.
 */
final class Driver implements Runnable {
    static final String SOURCE = "/ved-verify";
    static final Duration HOLD_AT_MOST = Duration.ofMinutes(3);

    private final VerifyPlan plan;
    private final String topic;
    private final String runId;
    private final String bootstrap;
    private final MessageCodec codec;
    private final Duration duration;
    private final LongSupplier nextFaultAt;
    private final Consumer<String> say;
    private final AtomicLong handedOver = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean stopped;

    /**
     * @param nextFaultAt when the next planned fault is due on the {@link System#nanoTime()} clock
     *                    ({@link Long#MAX_VALUE} for none): the driver holds its schedule at that point until the
     *                    fault has begun, at most {@link #HOLD_AT_MOST}
     * @param say         where the driver says that it holds
     */
    Driver(VerifyPlan plan, String accountInbox, String runId, String bootstrap, MessageCodec codec, Duration duration,
           LongSupplier nextFaultAt, Consumer<String> say) {
        this.plan = plan;
        this.topic = accountInbox;
        this.runId = runId;
        this.bootstrap = bootstrap;
        this.codec = codec;
        this.duration = duration;
        this.nextFaultAt = nextFaultAt;
        this.say = say;
    }

    @Override
    public void run() {
        Map<String, Object> config = io.ved.runtime.ToolClients.with(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.CLIENT_ID_CONFIG, "ved-verify-driver",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TimeUnit.MINUTES.toMillis(10),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, TimeUnit.MINUTES.toMillis(10)));
        long nanosPerMessage = duration.toNanos() / plan.messages();
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            long held = 0;
            for (long seq = 0; seq < plan.messages() && !stopped && failure.get() == null; seq++) {
                long scheduled = start + seq * nanosPerMessage;
                held = holdForFault(seq, scheduled, held);
                long due = scheduled + held;
                long wait;
                while ((wait = due - System.nanoTime()) > 0 && !stopped) {
                    LockSupport.parkNanos(wait);
                }
                producer.send(record(topic, seq), (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    } else {
                        acknowledged.incrementAndGet();
                    }
                });
                handedOver.incrementAndGet();
            }
            producer.flush();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    /**
     * A fault that recovers slowly delays the next one (faults never pile up); were the driver to keep its pace, the
     * last faults would come after the last deposit and test nothing. So the schedule stops at a fault's planned
     * moment until it has begun, and every later deposit shifts by the time held.
     *
     * @return the total time held so far, in nanoseconds
     */
    private long holdForFault(long seq, long scheduled, long held) {
        if (scheduled < nextFaultAt.getAsLong() || stopped) {
            return held;
        }
        long since = System.nanoTime();
        say.accept(String.format("driver: holding deposit %,d until the planned fault, behind its moment, has begun", seq));
        while (scheduled >= nextFaultAt.getAsLong() && !stopped && System.nanoTime() - since < HOLD_AT_MOST.toNanos()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        return Math.max(held, System.nanoTime() - scheduled);
    }

    private ProducerRecord<byte[], byte[]> record(String topic, long seq) {
        Deposit deposit = plan.deposit(seq);
        String type = deposit.getSchema().getFullName();
        Envelope envelope = Envelope.root(MessageId.derivedFrom("ved-verify", runId, Long.toString(seq)), type, SOURCE,
                VerifyAccount.ref(plan.account(seq)), Instant.now(), Optional.empty());
        RecordHeaders headers = new RecordHeaders();
        EnvelopeHeaders.write(envelope, headers);
        return new ProducerRecord<>(topic, null, envelope.time().toEpochMilli(),
                plan.account(seq).getBytes(StandardCharsets.UTF_8), codec.encode(deposit), headers);
    }

    /** Deposits the broker has acknowledged. */
    long sent() {
        return acknowledged.get();
    }

    /** Deposits handed to the producer (acknowledged or still in its buffer). */
    long handedOver() {
        return handedOver.get();
    }

    Optional<Exception> failure() {
        return Optional.ofNullable(failure.get());
    }

    void stop() {
        stopped = true;
    }
}
