package io.ved.runtime;

import io.opentelemetry.api.trace.Span;
import io.ved.api.DomainDefinition;
import io.ved.api.DomainRef;
import io.ved.api.Handler;
import io.ved.api.MessageId;
import io.ved.api.TimerId;
import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.MessageCodec;
import io.ved.envelope.RecordPosition;
import io.ved.envelope.registry.RegistryUnavailableException;
import io.ved.internal.DeferredMessage;
import io.ved.internal.TraceOutcome;
import io.ved.runtime.handler.HandlerIsolation;
import io.ved.runtime.mailbox.DeferredDepth;
import io.ved.runtime.handler.HandlerRunner;
import io.ved.runtime.handler.HandlerRunner.HandlerTimeoutException;
import io.ved.runtime.deadletter.DeadLetterReason;
import io.ved.runtime.deadletter.DeadLetters;
import io.ved.runtime.mailbox.DeferredMessages;
import io.ved.runtime.mailbox.Mailboxes;
import io.ved.runtime.mailbox.RateBuckets;
import io.ved.runtime.mailbox.Timers;
import io.ved.runtime.storm.Quarantine;
import io.ved.runtime.storm.StormGuard;
import io.ved.runtime.storm.ThrottlePolicy;
import io.ved.runtime.storm.Trail;
import io.ved.runtime.telemetry.MessageSpans;
import io.ved.runtime.topology.DeferredLimits;
import io.ved.runtime.topology.DomainPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mailboxes of one domain type on one partition. Records arrive in offset order; each is decoded,
 * checked by storm protection, then handled at once or, when its instance is waiting (a message ahead of it
 * backs off before a retry, or the instance is over its rate), queued behind. Handling loads the state, runs
 * the handler, stores the new state, and forwards the buffered sends (or queues them in the sender's outbox
 * when it is over its send rate), schedules its timers, and writes a trace record; Kafka Streams commits all of
 * it, with the consumed offset, in one exactly-once transaction. A wall-clock punctuator retries, releases and
 * fires what fell due. A record that cannot be handled becomes a dead letter and the mailbox goes on.
 */
final class DomainProcessor<S extends SpecificRecord> implements Processor<byte[], byte[], byte[], byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(DomainProcessor.class);
    /** How often retries, throttled messages and timers are checked for what fell due. */
    static final Duration DUE_CHECK_INTERVAL = Duration.ofMillis(100);
    /**
     * The most due items (queued messages, held sends, timers) one punctuation takes on, and the longest it starts new
     * ones: well inside the 10 s transaction timeout, so a million timers falling due at once drain over many
     * transactions instead of aborting one. What is left stays due and is taken by the next punctuation.
     */
    static final int MAX_DUE_PER_PUNCTUATION = 5_000;
    static final Duration MAX_PUNCTUATION_TIME = Duration.ofSeconds(1);
    /** How often, and how many, rate buckets are looked at for ones that are full again (idle instances). */
    static final Duration BUCKET_SWEEP_INTERVAL = Duration.ofSeconds(10);
    /**
     * A changed deferred depth is published at most this often, an unchanged one at least every
     * {@link #DEPTH_REPEAT_INTERVAL}, so that a sender can tell a quiet partition from one nobody measures.
     */
    static final Duration DEPTH_PUBLISH_INTERVAL = Duration.ofSeconds(1);
    static final Duration DEPTH_REPEAT_INTERVAL = Duration.ofSeconds(30);
    static final int BUCKETS_PER_SWEEP = 1_000;
    /** Set on a record forwarded from the wrong partition, so a stale partition count can never make it bounce. */
    static final String REROUTED_HEADER = "ved_rerouted_from";

    private final DomainDefinition<S> domain;
    private final DomainCatalog catalog;
    private final MessageCodec codec;
    private final InboxDecoder decoder;
    private final DomainPolicy policy;
    private final VedTopology.Routes routes;
    private final StormGuard stormGuard;
    private final DomainMeters meters;
    private final MessageSpans spans;
    private final HandlerIsolation isolation;
    /** The inbox's partition count as the broker said at start-up; 0 when unknown (e.g. in the test driver). */
    private final int inboxPartitions;
    private long lastBucketSweep;
    private long depthPublishedAt = Long.MIN_VALUE;
    private long publishedMailboxDepth = -1;
    private long publishedOutboxDepth = -1;
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<String, byte[]> states;
    private Mailboxes mailboxes;
    private Mailboxes outboxes;
    private Timers timers;
    private RateBuckets buckets;
    private Tracer tracer;
    private HandlerRunner runner;

    DomainProcessor(DomainDefinition<S> domain, DomainCatalog catalog, MessageCodec codec, VedTopology.Routes routes,
                    MessageSpans spans, HandlerIsolation isolation, int inboxPartitions) {
        this.inboxPartitions = inboxPartitions;
        this.spans = spans;
        this.isolation = isolation;
        this.domain = domain;
        this.catalog = catalog;
        this.codec = codec;
        this.decoder = new InboxDecoder(domain, codec);
        this.policy = catalog.topicOf(domain.type()).policy();
        this.routes = routes;
        this.stormGuard = new StormGuard(policy.storm());
        this.meters = new DomainMeters(domain.type().name());
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.states = context.getStateStore(routes.stateStore());
        KeyValueStore<String, byte[]> runtime = context.getStateStore(routes.runtimeStore());
        this.mailboxes = new Mailboxes(runtime, "m");
        this.outboxes = new Mailboxes(runtime, "o");
        this.timers = new Timers(runtime);
        this.buckets = new RateBuckets(runtime);
        meters.trackDepth(context.taskId().toString(), mailboxes::totalDepth, outboxes::totalDepth);
        this.tracer = new Tracer(policy.trace(), codec, r -> context.forward(r, routes.traceSink()));
        this.runner = HandlerRunner.of(policy.handlerTimeout(), policy.handlerThread(), domain.type().name(), isolation,
                domain.type() + "-handler-" + context.taskId());
        context.schedule(DUE_CHECK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::runDue);
    }

    /**
     * Every record ends here as handled, deferred, quarantined, forwarded to its right partition or dead-lettered;
     * only an outage (registry unreachable, a Kafka failure) is thrown, so Kafka Streams retries the whole batch.
     */
    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordPosition position = positionOf(record);
        try {
            if (!reroutedFromWrongPartition(record, position)) {
                receive(record, position);
            }
        } catch (RuntimeException e) {
            if (isOutage(e)) {
                throw e;
            }
            failedUnexpectedly(record, position, e);
        }
    }

    private void receive(Record<byte[], byte[]> record, RecordPosition position) {
        Inbound inbound;
        try {
            inbound = decoder.decode(record.key(), record.value(), record.headers(), position);
        } catch (RejectedMessageException e) {
            reject(record, position, e, 0);
            return;
        }
        Trail trail = trailOf(record, inbound);
        Optional<StormGuard.Verdict> storm = stormGuard.check(inbound.envelope(), trail);
        if (storm.isPresent()) {
            quarantine(record, position, inbound, storm.get());
            return;
        }
        String id = inbound.target().id();
        if (mailboxes.isWaiting(id)) {
            defer(id, record, position, inbound, "waiting behind " + mailboxes.depth(id) + " earlier message(s) of " + inbound.target());
            return;
        }
        long wait = handlingWait(id, now());
        if (wait > 0) {
            if (defer(id, record, position, inbound, "throttled: " + inbound.target() + " is over its rate; released in " + wait + " ms")) {
                mailboxes.scheduleAt(id, now() + wait);
            }
            return;
        }
        if (attempt(inbound, trail, record, position, 0) instanceof Attempt.Failed failed) {
            Optional<String> full = queueFull(mailboxes, id, "deferred message(s)");
            if (full.isPresent()) {
                refuseDeferral(record, position, inbound, full.get() + "; its handler had failed: " + failed.error(), failed.attempts());
                return;
            }
            mailboxes.append(id, DeferredMessages.of(record, position, failed.attempts(), failed.error()));
            scheduleRetry(inbound, position, failed);
        }
    }

    private void reject(Record<byte[], byte[]> record, RecordPosition position, RejectedMessageException e, int attempts) {
        deadLetter(record, position, e.reason(), e, attempts);
        tracer.rejected(record.headers(), position, targetForTrace(record), now(), e.reason() + ": " + e.getMessage());
    }

    /** Ved's own failure on a record: it is dead-lettered with the error, so the partition goes on. */
    private void failedUnexpectedly(Record<byte[], byte[]> record, RecordPosition position, RuntimeException e) {
        LOG.error("{}: processing the record at {}-{}@{} failed unexpectedly; it is dead-lettered (PROCESSING_FAILED) and the "
                + "partition goes on", domain.type(), position.topic(), position.partition(), position.offset(), e);
        deadLetter(record, position, DeadLetterReason.PROCESSING_FAILED, e, 0);
        tracer.rejected(record.headers(), position, targetForTrace(record), now(), DeadLetterReason.PROCESSING_FAILED + ": " + e);
    }

    /**
     * A record on a partition its key does not hash to (a producer with another partitioner, e.g. librdkafka's
     * CRC32 default) would split its instance's state in two: it is forwarded, unread and in order, to the partition
     * murmur2 picks, as Kafka's Java producer does. A record already forwarded once is handled where it is.
     */
    private boolean reroutedFromWrongPartition(Record<byte[], byte[]> record, RecordPosition position) {
        if (inboxPartitions <= 0 || record.key() == null || record.key().length == 0) {
            return false;
        }
        int right = Partitioning.partitionOf(record.key(), inboxPartitions);
        if (right == position.partition()) {
            return false;
        }
        if (record.headers().lastHeader(REROUTED_HEADER) != null) {
            LOG.warn("{}: a record forwarded to partition {} arrived on partition {} ({}@{}): the inbox's partition count "
                    + "changed since start-up; it is handled here", domain.type(), right, position.partition(),
                    position.topic(), position.offset());
            return false;
        }
        RecordHeaders headers = EnvelopeHeaders.copy(record.headers());
        headers.add(REROUTED_HEADER, (position.partition() + "@" + position.offset()).getBytes(StandardCharsets.UTF_8));
        context.forward(record.withHeaders(headers), routes.sinkFor(position.topic()));
        meters.rerouted.increment();
        tracer.rerouted(record.headers(), position, targetForTrace(record), now(), "arrived on partition " + position.partition()
                + ", but its key belongs on partition " + right + " (murmur2): forwarded there");
        return true;
    }

    /** Kafka's failures (a fenced producer, a broken transaction) and an unreachable registry are not the record's. */
    static boolean isOutage(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RegistryUnavailableException || t instanceof KafkaException) {
                return true;
            }
        }
        return false;
    }

    /** Queues the record behind its instance's earlier ones; false (and dead-lettered) when the queue is at its bound. */
    private boolean defer(String id, Record<byte[], byte[]> record, RecordPosition position, Inbound inbound, String why) {
        Optional<String> full = queueFull(mailboxes, id, "deferred message(s)");
        if (full.isPresent()) {
            refuseDeferral(record, position, inbound, full.get(), 0);
            return false;
        }
        mailboxes.append(id, DeferredMessages.of(record, position, 0, null));
        meters.deferred.increment();
        tracer.outcome(inbound.envelope(), position, now(), TraceOutcome.DEFERRED, why);
        return true;
    }

    private Optional<String> queueFull(Mailboxes boxes, String id, String what) {
        DeferredLimits limits = policy.deferred();
        if (boxes.depth(id) >= limits.perInstance()) {
            return Optional.of(domain.type().ref(id) + " already has " + boxes.depth(id) + " " + what + " waiting, its bound "
                    + "(deferredQueue.perInstance: " + limits.perInstance() + ")");
        }
        if (boxes.totalDepth() >= limits.perPartition()) {
            return Optional.of("this partition of " + domain.type() + " already has " + boxes.totalDepth() + " " + what
                    + " waiting, its bound (deferredQueue.perPartition: " + limits.perPartition() + ")");
        }
        return Optional.empty();
    }

    private void refuseDeferral(Record<byte[], byte[]> record, RecordPosition position, Inbound inbound, String why, int attempts) {
        deadLetter(record, position, DeadLetterReason.DEFERRED_QUEUE_FULL, new IllegalStateException(why), attempts);
        tracer.outcome(inbound.envelope(), position, now(), TraceOutcome.DEAD_LETTERED, why);
    }

    /** How much due work one punctuation may still take on. */
    private static final class Budget {
        private final long deadline = System.nanoTime() + MAX_PUNCTUATION_TIME.toNanos();
        private int left = MAX_DUE_PER_PUNCTUATION;

        boolean spent() {
            return left <= 0 || System.nanoTime() > deadline;
        }

        void use() {
            left--;
        }

        int left() {
            return Math.max(0, left);
        }
    }

    /**
     * Retries and releases queued messages, releases held sends, and fires timers, for what fell due, within one
     * punctuation's budget. Each item is on its own: one that can no longer be done becomes a dead letter, and the
     * rest of the due work goes on.
     */
    private void runDue(long wallClockMillis) {
        Budget budget = new Budget();
        for (String id : mailboxes.takeDue(wallClockMillis, budget.left())) {
            guarded(mailboxes, id, () -> drain(id, wallClockMillis, budget));
        }
        for (String id : outboxes.takeDue(wallClockMillis, budget.left())) {
            guarded(outboxes, id, () -> releaseSends(id, wallClockMillis, budget));
        }
        for (Timers.Due due : timers.takeDue(wallClockMillis, budget.left())) {
            budget.use();
            fire(due);
        }
        if (wallClockMillis - lastBucketSweep >= BUCKET_SWEEP_INTERVAL.toMillis()) {
            lastBucketSweep = wallClockMillis;
            buckets.sweep(wallClockMillis, this::limitOfBucket, BUCKETS_PER_SWEEP);
        }
        publishDepth(wallClockMillis);
    }

    /** Publishes what this partition holds back in its queues, which the inbox's consumer lag cannot show. */
    private void publishDepth(long now) {
        long mailbox = mailboxes.totalDepth();
        long outbox = outboxes.totalDepth();
        long since = depthPublishedAt == Long.MIN_VALUE ? Long.MAX_VALUE : now - depthPublishedAt;
        boolean changed = mailbox != publishedMailboxDepth || outbox != publishedOutboxDepth;
        if (changed ? since < DEPTH_PUBLISH_INTERVAL.toMillis() : since < DEPTH_REPEAT_INTERVAL.toMillis()) {
            return;
        }
        DeferredDepth depth = new DeferredDepth(catalog.topicOf(domain.type()).topic(), context.taskId().partition(),
                mailbox, outbox, now);
        context.forward(new Record<>(depth.key().getBytes(StandardCharsets.UTF_8), depth.value(), now), routes.depthSink());
        depthPublishedAt = now;
        publishedMailboxDepth = mailbox;
        publishedOutboxDepth = outbox;
    }

    /**
     * Runs one instance's due work; if it fails in a way that is not an outage, the record at the head of the queue
     * is dead-lettered as it is stored and the queue goes on at the next punctuation.
     */
    private void guarded(Mailboxes boxes, String id, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            if (isOutage(e)) {
                throw e;
            }
            LOG.error("{}: due work of {} failed; its first waiting record is dead-lettered and the rest go on",
                    domain.type(), domain.type().ref(id), e);
            deadLetterHead(boxes, id, e);
        }
    }

    private void deadLetterHead(Mailboxes boxes, String id, RuntimeException error) {
        Optional<byte[]> raw = boxes.rawHead(id);
        if (raw.isEmpty()) {
            return;
        }
        if (raw.get() != null) { // null: the status names an entry that is gone, and only the head is dropped
            deadLetterStored(id, raw.get(), error);
        }
        boxes.removeHead(id);
        if (boxes.isWaiting(id)) {
            boxes.scheduleAt(id, now());
        }
    }

    private void deadLetterStored(String id, byte[] raw, RuntimeException error) {
        DeferredMessage stored;
        try {
            stored = Mailboxes.decode(raw);
        } catch (RuntimeException unreadable) {
            deadLetterUnreadable(id, raw, unreadable);
            return;
        }
        deadLetter(DeferredMessages.record(stored), DeferredMessages.position(stored), DeadLetterReason.PROCESSING_FAILED,
                error, stored.getAttempts());
    }

    /** Stored bytes Ved cannot read any more: dead-lettered as they are, keyed by the instance (or timer) id. */
    private void deadLetterUnreadable(String id, byte[] stored, RuntimeException error) {
        Record<byte[], byte[]> record = new Record<>(id.getBytes(StandardCharsets.UTF_8), stored, now(), new RecordHeaders());
        deadLetter(record, new RecordPosition(routes.runtimeStore(), -1, -1L, now()), DeadLetterReason.UNROUTABLE,
                new IllegalStateException("a record stored by " + domain.type() + "'s runtime cannot be read any more: "
                        + error.getMessage(), error), 0);
    }

    private void drain(String id, long now, Budget budget) {
        while (mailboxes.isWaiting(id)) {
            if (budget.spent()) {
                mailboxes.scheduleAt(id, now);
                return;
            }
            long wait = handlingWait(id, now);
            if (wait > 0) {
                mailboxes.scheduleAt(id, now + wait);
                return;
            }
            budget.use();
            DeferredMessage waiting = mailboxes.head(id).orElseThrow();
            Record<byte[], byte[]> record = DeferredMessages.record(waiting);
            RecordPosition position = DeferredMessages.position(waiting);
            Inbound inbound;
            try {
                inbound = decoder.decode(record.key(), record.value(), record.headers(), position);
            } catch (RejectedMessageException e) {
                // e.g. a message type this version no longer accepts, queued by the version before
                reject(record, position, e, waiting.getAttempts());
                mailboxes.removeHead(id);
                continue;
            }
            if (attempt(inbound, trailOf(record, inbound), record, position, waiting.getAttempts()) instanceof Attempt.Failed failed) {
                waiting.setAttempts(failed.attempts());
                waiting.setLastError(failed.error());
                mailboxes.replaceHead(id, waiting);
                scheduleRetry(inbound, position, failed);
                return;
            }
            mailboxes.removeHead(id);
        }
    }

    private void fire(Timers.Due due) {
        DeferredMessage timer;
        try {
            timer = Timers.decode(due.stored());
        } catch (RuntimeException unreadable) {
            deadLetterUnreadable(due.timerId(), due.stored(), unreadable);
            return;
        }
        forwardStored(timer, "timer");
    }

    /**
     * Sends a stored record (a timer, a held send) to its topic; when that topic is no longer one this application
     * sends to (the target type was removed in a redeploy), it is dead-lettered instead.
     */
    private void forwardStored(DeferredMessage stored, String what) {
        Record<byte[], byte[]> record = DeferredMessages.record(stored);
        String sink = routes.sinkByTopic().get(stored.getTopic());
        if (sink == null) {
            deadLetter(record, DeferredMessages.position(stored), DeadLetterReason.UNROUTABLE, new IllegalStateException(
                    "a " + what + " of " + domain.type() + " to topic " + stored.getTopic() + " cannot be sent: that topic is no "
                            + "longer an inbox of the topology file (was its domain type removed?)"), 0);
            return;
        }
        context.forward(record, sink);
        meters.sent.increment();
    }

    private void releaseSends(String id, long now, Budget budget) {
        while (outboxes.isWaiting(id)) {
            if (budget.spent()) {
                outboxes.scheduleAt(id, now);
                return;
            }
            // With the send limit turned off in a redeploy, what the outbox held leaves at once, in order.
            long wait = policy.throttle().limitsSending() ? buckets.tryTake(List.of(sendLimit(id)), now) : 0;
            if (wait > 0) {
                outboxes.scheduleAt(id, now + wait);
                return;
            }
            budget.use();
            forwardStored(outboxes.head(id).orElseThrow(), "held send");
            outboxes.removeHead(id);
        }
    }

    /** The limit a rate bucket stands for under the current policy; null when that limit is off. */
    private RateBuckets.Limit limitOfBucket(String name) {
        ThrottlePolicy throttle = policy.throttle();
        if (name.startsWith("h|")) {
            return throttle.handledPerInstance() > 0 ? new RateBuckets.Limit(name, throttle.handledPerInstance(), throttle.burst()) : null;
        }
        if (name.startsWith("s|")) {
            return throttle.sentPerInstance() > 0 ? new RateBuckets.Limit(name, throttle.sentPerInstance(), throttle.burst()) : null;
        }
        if (name.equals("h*")) {
            return throttle.handledPerType() > 0 ? new RateBuckets.Limit(name, throttle.handledPerType(), throttle.burst()) : null;
        }
        return null;
    }

    /** The result of running the handler once: done (handled or dead-lettered) or failed with tries left. */
    private sealed interface Attempt {
        record Done() implements Attempt {
        }

        record Failed(int attempts, String error) implements Attempt {
        }
    }

    private Attempt attempt(Inbound inbound, Trail trail, Record<byte[], byte[]> record, RecordPosition position,
                            int earlierAttempts) {
        java.util.Optional<String> abandoned = isolation.abandoned(inbound.envelope());
        if (abandoned.isPresent()) {
            // its handler once held a stream thread for good: running it again would lose this one the same way
            deadLetter(record, position, DeadLetterReason.HANDLER_TIMEOUT,
                    new RejectedMessageException(DeadLetterReason.HANDLER_TIMEOUT, abandoned.get(), null), earlierAttempts + 1);
            tracer.outcome(inbound.envelope(), position, now(), TraceOutcome.DEAD_LETTERED, abandoned.get());
            return new Attempt.Done();
        }
        long started = System.nanoTime();
        Span span = spans.start(inbound.envelope(), record.headers(), domain.type().name());
        Handled handled;
        try {
            try {
                handled = runner.run(inbound.envelope(), () -> handleGuarded(inbound, trail, span));
            } finally {
                meters.handlerTime.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        } catch (RegistryUnavailableException e) {
            // e.g. the state was written with an older schema and the registry cannot say which: an outage, not
            // the handler's failure; the batch is processed again once the registry answers
            MessageSpans.end(span, "OUTAGE", e);
            throw e;
        } catch (HandlerTimeoutException e) {
            deadLetter(record, position, DeadLetterReason.HANDLER_TIMEOUT, e, earlierAttempts + 1);
            tracer.outcome(inbound.envelope(), position, now(), TraceOutcome.DEAD_LETTERED, e.getMessage());
            MessageSpans.end(span, TraceOutcome.DEAD_LETTERED.name(), e);
            return new Attempt.Done();
        } catch (RuntimeException e) {
            int attempts = earlierAttempts + 1;
            if (attempts < policy.retry().maxAttempts()) {
                MessageSpans.end(span, TraceOutcome.RETRY_SCHEDULED.name(), e);
                return new Attempt.Failed(attempts, e.getClass().getName() + ": " + e.getMessage());
            }
            deadLetter(record, position, DeadLetterReason.HANDLER_FAILED, e, attempts);
            tracer.outcome(inbound.envelope(), position, now(), TraceOutcome.DEAD_LETTERED,
                    "failed " + attempts + " time(s): " + e.getMessage());
            MessageSpans.end(span, TraceOutcome.DEAD_LETTERED.name(), e);
            return new Attempt.Done();
        }
        apply(inbound, handled);
        meters.handled.increment();
        tracer.handled(inbound.envelope(), position, now(), (System.nanoTime() - started) / 1000, handled.sentIds());
        MessageSpans.end(span, TraceOutcome.HANDLED.name(), null);
        return new Attempt.Done();
    }

    /** Stores the state (or deletes it, when the handler ended the instance), and sends, schedules and cancels. */
    private void apply(Inbound inbound, Handled handled) {
        String id = inbound.target().id();
        if (handled.ended()) {
            states.delete(id);
        } else {
            states.put(id, handled.encodedState());
        }
        for (RoutedSend send : handled.sends()) {
            sendOrHold(id, send);
        }
        handled.cancelled().forEach(timer -> timers.cancel(timer.value()));
        handled.timed().forEach(timer -> timers.schedule(timer.envelopeId(), timer.stored()));
    }

    /** Forwards a send at once, or holds it in the sender's outbox, in order, while the sender is over its send rate. */
    private void sendOrHold(String senderId, RoutedSend send) {
        ThrottlePolicy throttle = policy.throttle();
        if (throttle.limitsSending() && (outboxes.isWaiting(senderId) || sendWait(senderId, now()) > 0)) {
            Optional<String> full = queueFull(outboxes, senderId, "held send(s)");
            if (full.isPresent()) {
                deadLetter(send.record(), send.target(), DeadLetterReason.DEFERRED_QUEUE_FULL, new IllegalStateException(full.get()), 0);
                return;
            }
            boolean wasWaiting = outboxes.isWaiting(senderId);
            outboxes.append(senderId, DeferredMessages.of(send.record(), send.target(), 0, null));
            if (!wasWaiting) {
                outboxes.scheduleAt(senderId, now() + sendWait(senderId, now()));
            }
            return;
        }
        context.forward(send.record(), send.sink());
        meters.sent.increment();
    }

    /** 0 when the instance may handle a message now (the tokens are taken), else milliseconds to wait. */
    private long handlingWait(String id, long at) {
        ThrottlePolicy throttle = policy.throttle();
        if (!throttle.limitsHandling()) {
            return 0;
        }
        List<RateBuckets.Limit> limits = new ArrayList<>(2);
        if (throttle.handledPerInstance() > 0) {
            limits.add(new RateBuckets.Limit("h|" + id, throttle.handledPerInstance(), throttle.burst()));
        }
        if (throttle.handledPerType() > 0) {
            limits.add(new RateBuckets.Limit("h*", throttle.handledPerType(), throttle.burst()));
        }
        return buckets.tryTake(limits, at);
    }

    private long sendWait(String id, long at) {
        return buckets.tryTake(List.of(sendLimit(id)), at);
    }

    private RateBuckets.Limit sendLimit(String id) {
        return new RateBuckets.Limit("s|" + id, policy.throttle().sentPerInstance(), policy.throttle().burst());
    }

    private void scheduleRetry(Inbound inbound, RecordPosition position, Attempt.Failed failed) {
        Duration delay = policy.retry().delayAfter(failed.attempts());
        mailboxes.scheduleAt(inbound.target().id(), now() + delay.toMillis());
        meters.deferred.increment();
        meters.retried.increment();
        tracer.outcome(inbound.envelope(), position, now(), TraceOutcome.RETRY_SCHEDULED,
                "attempt " + failed.attempts() + " of " + policy.retry().maxAttempts() + " failed (" + failed.error()
                        + "); next try in " + delay.toMillis() + " ms");
    }

    /** The handler's outcome, already encoded, so nothing can fail between storing the state and forwarding. */
    private record Handled(byte[] encodedState, boolean ended, List<RoutedSend> sends, List<TimedSend> timed,
                           List<TimerId> cancelled, List<MessageId> sentIds) {
    }

    /**
     * A handler that throws an {@link Error} (an assertion, a stack overflow, a missing class) fails like one that
     * throws an exception, on every handler thread alike; only running out of memory is left to the JVM.
     */
    private Handled handleGuarded(Inbound inbound, Trail trail, Span span) {
        try {
            return handle(inbound, trail, span);
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Error e) {
            throw new HandlerError(e);
        }
    }

    /** An {@link Error} thrown by a handler, carried as the handler's failure. */
    static final class HandlerError extends RuntimeException {
        HandlerError(Error cause) {
            super(cause.getClass().getName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
        }
    }

    private record RoutedSend(String sink, Record<byte[], byte[]> record, RecordPosition target) {
    }

    private record TimedSend(String envelopeId, DeferredMessage stored) {
    }

    private Handled handle(Inbound inbound, Trail trail, Span span) {
        S state = loadState(inbound.target().id());
        HandlingContext ctx = new HandlingContext(domain, catalog, inbound.envelope(), inbound.target());
        S next = invoke(state, inbound.message(), ctx);
        if (next == null && !ctx.ended()) {
            throw new IllegalStateException(domain.type() + "'s handler of " + inbound.message().getClass().getSimpleName()
                    + " returned no state: return the state unchanged when nothing changes");
        }
        List<Outgoing> outgoing = ctx.outgoing();
        // A fired timer starts a new chain for loop detection (its hops start again and it carries no trail): a
        // domain that reschedules itself every period is a heartbeat, not a loop.
        List<TimedSend> timed = ctx.timed().stream().map(out -> {
            RoutedSend routed = route(out, Trail.NONE, span);
            return new TimedSend(out.envelope().id().value(), DeferredMessages.of(routed.record(), routed.target(), 0, null));
        }).toList();
        List<MessageId> sentIds = new ArrayList<>(outgoing.stream().map(o -> o.envelope().id()).toList());
        ctx.timed().forEach(o -> sentIds.add(o.envelope().id()));
        return new Handled(ctx.ended() ? null : codec.encode(next), ctx.ended(), outgoing.stream().map(out -> route(out, trail, span)).toList(), timed,
                ctx.cancelledTimers(), sentIds);
    }

    @SuppressWarnings("unchecked")
    private S invoke(S state, SpecificRecord message, HandlingContext ctx) {
        Handler<S, SpecificRecord> handler = (Handler<S, SpecificRecord>) domain.handlerFor(message.getClass());
        return handler.handle(state, message, ctx);
    }

    private S loadState(String id) {
        byte[] stored = states.get(id);
        return stored == null ? domain.initialState(id) : codec.decode(stored, domain.stateClass());
    }

    private RoutedSend route(Outgoing out, Trail trail, Span span) {
        String sink = routes.sinkFor(out.topic());
        RecordHeaders headers = new RecordHeaders();
        EnvelopeHeaders.write(out.envelope(), headers);
        trail.write(headers);
        MessageSpans.inject(span, headers);
        long time = out.envelope().time().toEpochMilli();
        return new RoutedSend(sink, new Record<>(out.key().getBytes(StandardCharsets.UTF_8), codec.encode(out.message()),
                time, headers), new RecordPosition(out.topic(), -1, -1L, time));
    }

    /** The path of the chain so far, with this message's arrival as the last step: what loop detection looks at. */
    private static Trail trailOf(Record<byte[], byte[]> record, Inbound inbound) {
        String type = inbound.envelope().type();
        return Trail.read(record.headers()).extend(inbound.target().toString(), type.substring(type.lastIndexOf('.') + 1));
    }

    private void quarantine(Record<byte[], byte[]> record, RecordPosition position, Inbound inbound, StormGuard.Verdict verdict) {
        context.forward(Quarantine.record(record, position, domain.type(), verdict.reason(), verdict.detail(), verdict.cycle()),
                routes.stormSink());
        meters.quarantined.increment();
        tracer.outcome(inbound.envelope(), position, now(), TraceOutcome.QUARANTINED, verdict.detail());
        LOG.warn("Storm protection quarantined {} to {} (correlation {}): {}", inbound.envelope().type(), inbound.target(),
                inbound.envelope().correlation(), verdict.detail());
    }

    private void deadLetter(Record<byte[], byte[]> record, RecordPosition position, DeadLetterReason reason, Throwable error,
                            int attempts) {
        context.forward(DeadLetters.of(record, position, domain.type(), reason, error, attempts), routes.deadLetterSink());
        meters.deadLettered.increment();
    }

    private long now() {
        return context.currentSystemTimeMs();
    }

    /** The instance a record was meant for, as far as its key tells: for trace records of records that were not handled. */
    private DomainRef targetForTrace(Record<byte[], byte[]> record) {
        try {
            return decoder.target(record.key());
        } catch (RuntimeException notAnId) {
            return domain.type().ref("?");
        }
    }

    private RecordPosition positionOf(Record<byte[], byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        return new RecordPosition(meta.topic(), meta.partition(), meta.offset(), record.timestamp());
    }

    @Override
    public void close() {
        if (context != null) {
            meters.untrackDepth(context.taskId().toString());
        }
        if (runner != null) {
            runner.close();
        }
    }
}
