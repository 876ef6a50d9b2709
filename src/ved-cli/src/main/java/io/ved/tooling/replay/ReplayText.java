package io.ved.tooling.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.ved.envelope.AvroJson;
import io.ved.envelope.Envelope;
import io.ved.runtime.Outgoing;
import io.ved.runtime.Replayer;
import io.ved.runtime.deadletter.DeadLetter;
import io.ved.tooling.replay.InstanceReplay.StepResult;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.apache.avro.specific.SpecificRecord;

/** How {@code ved replay} prints: each message and the state change it made, then the verdict against live. */
public final class ReplayText {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final String PAD = "            ";

    private ReplayText() {
    }

    public static String header(String instance, DomainReplay.Where where, boolean startGiven) {
        return "Replaying " + instance + " from " + where.partition().topic() + " partition " + where.partition().partition()
                + ", offsets " + where.from() + " to " + (where.toExclusive() - 1) + " (the partition holds " + where.logStart()
                + " to " + (where.logEnd() - 1) + "), starting from " + (startGiven ? "the given state" : "the initial state") + "\n";
    }

    /** One message: what it was, what it changed, what it sent, and how that compares with live. */
    public static <S extends SpecificRecord> String step(StepResult<S> result) {
        Replayer.Step<S> step = result.step();
        StringBuilder out = new StringBuilder("\n");
        out.append('#').append(result.number()).append("  offset ").append(step.position().offset()).append("  ")
                .append(TIME.format(Instant.ofEpochMilli(step.position().timestamp()))).append("  ");
        if (step.message().isPresent()) {
            Envelope e = step.envelope().orElseThrow();
            out.append(step.message().get().getSchema().getName()).append("  from ")
                    .append(e.sender().map(Object::toString).orElse(e.source())).append('\n');
            out.append("    message ").append(AvroJson.toJson(step.message().get())).append('\n');
            out.append(PAD).append("id ").append(e.id()).append(", correlation ").append(e.correlation()).append('\n');
        } else {
            out.append("(not decodable)\n");
        }
        if (step.failed()) {
            Replayer.Failure f = step.failure().get();
            out.append(f.outcome() == Replayer.Failure.Outcome.QUARANTINED ? "    WOULD BE QUARANTINED " : "    WOULD FAIL ")
                    .append(f.reason()).append(": ").append(f.error()).append('\n');
        } else {
            List<StateDiff.Change> changes = StateDiff.between(AvroJson.toJson(step.before()), AvroJson.toJson(step.after()));
            if (changes.isEmpty()) {
                out.append("    state   (no change)\n");
            } else {
                for (int i = 0; i < changes.size(); i++) {
                    out.append(i == 0 ? "    state   " : PAD).append(changes.get(i).describe()).append('\n');
                }
            }
            List<Outgoing> sends = step.sends();
            for (int i = 0; i < sends.size(); i++) {
                Outgoing o = sends.get(i);
                out.append(i == 0 ? "    sends   " : PAD).append(o.message().getSchema().getName()).append(" -> ")
                        .append(o.envelope().subject()).append(' ').append(AvroJson.toJson(o.message())).append('\n');
            }
            List<Outgoing> timed = step.timed();
            for (int i = 0; i < timed.size(); i++) {
                Outgoing o = timed.get(i);
                out.append(i == 0 ? "    timers  " : PAD).append(o.message().getSchema().getName()).append(" -> ")
                        .append(o.envelope().subject()).append(" at ").append(TIME.format(o.envelope().time())).append(' ')
                        .append(AvroJson.toJson(o.message())).append('\n');
            }
        }
        out.append("    live    ").append(live(result)).append('\n');
        result.divergence().ifPresent(d -> out.append("    >>> DIVERGES: ").append(d).append('\n'));
        if (result.divergence().isPresent() && result.liveState().isPresent() && !step.failed()) {
            for (StateDiff.Change c : StateDiff.between(AvroJson.toJson(step.after()), AvroJson.toJson(result.liveState().get()))) {
                out.append(PAD).append(c.describe("replay", "live")).append('\n');
            }
        }
        return out.toString();
    }

    private static String live(StepResult<?> result) {
        return switch (result.live()) {
            case DEAD_LETTERED -> {
                DeadLetter d = result.deadLetter().orElseThrow();
                yield "dead-lettered: " + d.reason() + (d.attempts() > 0 ? " after " + d.attempts() + " attempt(s)" : "")
                        + ": " + d.error();
            }
            case QUARANTINED -> "quarantined by storm protection: " + result.quarantine().orElse("?");
            case HANDLED -> result.step().failed()
                    ? "handled (not dead-lettered: it succeeded on a retry, or the code changed)"
                    : result.liveState().map(s -> result.divergence().isPresent() ? "handled, stored a different state" : "handled, same state")
                    .orElse("handled (its state version is no longer in the changelog)");
            case NOT_HANDLED_YET -> "not handled yet";
        };
    }

    /** The verdict; {@code instance} is {@code Type[id]}. */
    public static <S extends SpecificRecord> String verdict(String instance, InstanceReplay.Result<S> r) {
        StringBuilder out = new StringBuilder("\n");
        long failed = r.wouldFail();
        out.append("Replayed ").append(r.steps().size()).append(" message(s) of ").append(instance).append(": ")
                .append(r.steps().size() - failed).append(" handled, ").append(failed).append(" would fail")
                .append(".\n");
        r.notes().forEach(n -> out.append("Note: ").append(n).append('\n'));
        if (!r.diverges()) {
            if (r.liveAtEnd().isPresent()) {
                out.append("The replay matches the live state (").append(r.checked())
                        .append(" message(s) checked against the dead letters, quarantine and the changelog history).\n");
            } else {
                out.append("Nothing to compare: live has not handled these messages yet.\n");
            }
            return out.toString();
        }
        out.append("The replay DIFFERS from the live state: nondeterminism or a code change.\n");
        r.firstDivergence().ifPresent(d -> {
            out.append("  First divergence: #").append(d.number()).append(", offset ").append(d.step().position().offset());
            d.step().message().ifPresent(m -> out.append(", ").append(m.getSchema().getName()));
            d.step().envelope().ifPresent(e -> out.append(" (message ").append(e.id()).append(')'));
            out.append(": ").append(d.divergence().orElseThrow()).append('\n');
        });
        if (r.finalDiffers()) {
            out.append("  State after offset ").append(r.liveEndOffset()).append(", replay vs live:\n");
            JsonNode replay = AvroJson.toJson(r.replayAtEnd().orElseThrow());
            JsonNode live = AvroJson.toJson(r.liveAtEnd().orElseThrow());
            StateDiff.between(replay, live).forEach(c -> out.append("    ").append(c.describe("replay", "live")).append('\n'));
        }
        return out.toString();
    }

    public static String progress(DomainReplay.Progress p) {
        int width = 30;
        int filled = p.percent() * width / 100;
        return String.format(Locale.ROOT, "  %3d%% [%s%s] %,d of %,d messages, %,d instance(s), %,d diverging",
                p.percent(), "#".repeat(filled), ".".repeat(width - filled), p.messages(), p.total(), p.instances(), p.diverging());
    }

    public static String summary(String type, DomainReplay.Summary s) {
        StringBuilder out = new StringBuilder("\n");
        out.append("Replayed every ").append(type).append(": ").append(String.format(Locale.ROOT, "%,d", s.instances()))
                .append(" instance(s), ").append(String.format(Locale.ROOT, "%,d", s.messages())).append(" message(s) (")
                .append(s.wouldFail()).append(" would fail), ").append(s.diverging().size()).append(" diverging instance(s).\n");
        if (s.withoutKey() > 0) {
            out.append("  ").append(s.withoutKey()).append(" record(s) had no key, or one that is no domain id (live dead-letters them as NO_KEY).\n");
        }
        int shown = 0;
        for (InstanceReplay.Result<?> r : s.diverging()) {
            if (shown++ == 20) {
                out.append("  ... and ").append(s.diverging().size() - 20).append(" more\n");
                break;
            }
            out.append("  ").append(type).append('[').append(r.id()).append("]: ");
            r.firstDivergence().ifPresentOrElse(d -> out.append("first divergence at offset ").append(d.step().position().offset())
                    .append(d.step().message().map(m -> " (" + m.getSchema().getName() + ")").orElse("")).append(": ")
                    .append(d.divergence().orElseThrow()), () -> out.append("final state differs"));
            out.append('\n');
        }
        if (!s.diverging().isEmpty()) {
            out.append("Differences mean nondeterminism or a code change; replay one instance for the details: ved replay '")
                    .append(type).append('[').append(s.diverging().get(0).id()).append("]'\n");
        }
        return out.toString();
    }
}
