package io.ved.tooling.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.ved.envelope.AvroJson;
import io.ved.envelope.RecordPosition;
import io.ved.runtime.Replayer;
import io.ved.runtime.deadletter.DeadLetter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Replays one instance's messages with the current handler code and checks each step against what the live
 * application did.
 *
 * <p>What live did comes from four places: the dead-letter topic (the messages it gave up on), the storm topic
 * (the messages storm protection quarantined), the application's committed offset on the inbox partition (what
 * it has handled so far), and the state store's changelog, which holds one state version per handled message
 * (every handled message writes the state, a dead-lettered or quarantined one writes nothing). So the instance's messages below the committed offset that were not
 * dead-lettered line up one to one with its changelog versions. The changelog is compacted, so its older
 * versions may be gone, and the inbox's retention may have dropped the oldest messages: the two are lined up
 * from the latest back, and messages whose version is gone are checked by outcome only.
 */
public final class InstanceReplay {
    private InstanceReplay() {
    }

    /**
     * What the live application did with the instance.
     *
     * @param quarantinedByOffset the messages storm protection stopped, with why
     * @param committedOffset     the next offset it will handle in the partition (-1: none handled)
     */
    public record Live<S>(List<S> versions, Map<Long, DeadLetter> deadLettersByOffset, Map<Long, String> quarantinedByOffset,
                          long committedOffset) {
        boolean stored(long offset) {
            return offset < committedOffset && !deadLettersByOffset.containsKey(offset) && !quarantinedByOffset.containsKey(offset);
        }
    }

    /** What live did with one message. */
    public enum LiveOutcome {
        HANDLED, DEAD_LETTERED, QUARANTINED, NOT_HANDLED_YET
    }

    /**
     * One replayed message and how it compares with live.
     *
     * @param liveState  the state live stored after this message, when the changelog still holds it
     * @param divergence why this step differs from live; empty when it agrees or cannot be checked
     */
    public record StepResult<S extends SpecificRecord>(int number, Replayer.Step<S> step, LiveOutcome live,
                                                       Optional<DeadLetter> deadLetter, Optional<String> quarantine,
                                                       Optional<S> liveState, Optional<String> divergence) {
    }

    public record Result<S extends SpecificRecord>(String id, List<StepResult<S>> steps, S finalState,
                                                   Optional<StepResult<S>> firstDivergence,
                                                   Optional<S> liveAtEnd, Optional<S> replayAtEnd, long liveEndOffset,
                                                   int checked, List<String> notes) {
        /** The replay disagrees with live somewhere, or ends in a different state. */
        public boolean diverges() {
            return firstDivergence.isPresent() || finalDiffers();
        }

        public boolean finalDiffers() {
            return liveAtEnd.isPresent() && replayAtEnd.isPresent()
                    && !AvroJson.toJson(liveAtEnd.get()).equals(AvroJson.toJson(replayAtEnd.get()));
        }

        public long wouldFail() {
            return steps.stream().filter(s -> s.step().failed()).count();
        }
    }

    /**
     * @param records    every record of the instance in its inbox partition, in offset order (also those outside the range)
     * @param from       first offset to replay
     * @param toExclusive offset to stop before
     * @param start      the state to start from
     * @param startGiven whether {@code start} came from the user (else it is the initial state)
     * @param onStep     told of each step as it is replayed (for printing as it goes)
     */
    public static <S extends SpecificRecord> Result<S> run(Replayer<S> replayer, String id,
                                                           List<ConsumerRecord<byte[], byte[]>> records, long from, long toExclusive,
                                                           S start, boolean startGiven, Live<S> live,
                                                           Consumer<StepResult<S>> onStep) {
        List<String> notes = new ArrayList<>();
        Map<Long, S> versionAt = align(records, live, notes);

        List<StepResult<S>> steps = new ArrayList<>();
        S state = start;
        Optional<StepResult<S>> first = Optional.empty();
        S replayAtEnd = null;
        long liveEnd = -1;
        int checked = 0;
        int earlier = (int) records.stream().filter(r -> r.offset() < from).count();
        if (earlier > 0 && !startGiven) {
            notes.add("the replay starts from the initial state, but live had handled " + earlier
                    + " earlier message(s) of this instance before offset " + from + ": pass --state FILE to start from the state it had then");
        }
        int number = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.offset() < from || r.offset() >= toExclusive) {
                continue;
            }
            Replayer.Step<S> step = replayer.apply(state, r.key(), r.value(), r.headers(),
                    new RecordPosition(r.topic(), r.partition(), r.offset(), r.timestamp()));
            Optional<DeadLetter> dead = Optional.ofNullable(live.deadLettersByOffset().get(r.offset()));
            Optional<String> quarantined = Optional.ofNullable(live.quarantinedByOffset().get(r.offset()));
            LiveOutcome outcome = dead.isPresent() ? LiveOutcome.DEAD_LETTERED
                    : quarantined.isPresent() ? LiveOutcome.QUARANTINED
                    : r.offset() < live.committedOffset() ? LiveOutcome.HANDLED : LiveOutcome.NOT_HANDLED_YET;
            Optional<S> liveState = Optional.ofNullable(versionAt.get(r.offset()));
            Optional<Replayer.Failure.Outcome> replayFailure = step.failure().map(Replayer.Failure::outcome);
            Optional<String> divergence = Optional.empty();
            switch (outcome) {
                case DEAD_LETTERED -> {
                    checked++;
                    if (replayFailure.isEmpty()) {
                        divergence = Optional.of("live dead-lettered it (" + dead.get().reason() + ": " + dead.get().error()
                                + "), but the replay handles it");
                    } else if (replayFailure.get() != Replayer.Failure.Outcome.DEAD_LETTERED) {
                        divergence = Optional.of("live dead-lettered it (" + dead.get().reason() + "), but the replay "
                                + replayFailure.get().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " it");
                    }
                }
                case QUARANTINED -> {
                    checked++;
                    if (replayFailure.orElse(null) != Replayer.Failure.Outcome.QUARANTINED) {
                        divergence = Optional.of("live quarantined it (" + quarantined.get() + "), but the replay "
                                + (step.failed() ? "dead-letters" : "handles") + " it");
                    }
                }
                case HANDLED -> {
                    checked++;
                    if (step.failed()) {
                        Replayer.Failure f = step.failure().get();
                        divergence = Optional.of("live handled it, but the replay "
                                + (f.outcome() == Replayer.Failure.Outcome.QUARANTINED ? "quarantines" : "fails") + " it (" + f.reason() + ")");
                    } else if (liveState.isPresent()) {
                        List<StateDiff.Change> diff = StateDiff.between(AvroJson.toJson(step.after()), AvroJson.toJson(liveState.get()));
                        if (!diff.isEmpty()) {
                            divergence = Optional.of("the state differs from the one live stored");
                        }
                    }
                }
                case NOT_HANDLED_YET -> {
                }
            }
            StepResult<S> result = new StepResult<>(++number, step, outcome, dead, quarantined, liveState, divergence);
            steps.add(result);
            if (divergence.isPresent() && first.isEmpty()) {
                first = Optional.of(result);
            }
            if (onStep != null) {
                onStep.accept(result);
            }
            state = step.after();
            if (outcome != LiveOutcome.NOT_HANDLED_YET) {
                replayAtEnd = state;
                liveEnd = r.offset();
            }
        }
        long notYet = steps.stream().filter(s -> s.live() == LiveOutcome.NOT_HANDLED_YET).count();
        if (notYet > 0) {
            notes.add(notYet + " replayed message(s) are not handled live yet (the application has handled the partition up to offset "
                    + Math.max(0, live.committedOffset()) + "): they are not compared");
        }
        Optional<S> liveAtEnd = Optional.empty();
        if (liveEnd >= 0) {
            long end = liveEnd;
            liveAtEnd = records.stream()
                    .filter(r -> r.offset() <= end && versionAt.containsKey(r.offset()))
                    .reduce((a, b) -> b)
                    .map(r -> versionAt.get(r.offset()));
            if (liveAtEnd.isEmpty() && records.stream().noneMatch(r -> r.offset() <= end && live.stored(r.offset()))) {
                // Live handled none of them (all dead-lettered or quarantined): it still has the state it started with.
                liveAtEnd = Optional.of(start);
            }
        }
        return new Result<>(id, steps, state, first, liveAtEnd, Optional.ofNullable(replayAtEnd), liveEnd, checked, notes);
    }

    /** Changelog versions lined up with the live-handled messages, from the latest back: offset -> state after it. */
    private static <S> Map<Long, S> align(List<ConsumerRecord<byte[], byte[]>> records, Live<S> live, List<String> notes) {
        List<Long> handled = records.stream().map(ConsumerRecord::offset).filter(live::stored).toList();
        List<S> versions = live.versions();
        int m = handled.size();
        int n = versions.size();
        Map<Long, S> at = new HashMap<>();
        for (int j = 0; j < Math.min(m, n); j++) {
            at.put(handled.get(m - 1 - j), versions.get(n - 1 - j));
        }
        if (n < m) {
            notes.add("the changelog holds " + n + " state version(s) for " + m + " handled message(s): it was compacted, so messages "
                    + "before offset " + (n == 0 ? "(any)" : handled.get(m - n)) + " are checked by outcome only");
        } else if (n > m) {
            notes.add("the changelog holds " + n + " state version(s) but only " + m + " handled message(s) are still in the inbox "
                    + "(older ones expired with its retention): versions were lined up from the latest back");
        }
        return at;
    }
}
