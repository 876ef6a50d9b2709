package io.ved.testdomains;

import io.ved.api.DomainDefinition;
import io.ved.api.DomainType;
import io.ved.api.TimerId;
import io.ved.testdomains.timers.Fire;
import io.ved.testdomains.timers.Remind;
import io.ved.testdomains.timers.Reminders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A test domain that schedules messages to itself with durable timers, and can cancel the last one. */
public final class ReminderDomain {
    public static final DomainType REMINDER = DomainType.named("ReminderDomain");

    private ReminderDomain() {
    }

    public static DomainDefinition<Reminders> definition() {
        return DomainDefinition.of(REMINDER, Reminders.class)
                .initialState(id -> new Reminders(List.of(), List.of(), null))
                .on(Remind.class, (state, remind, ctx) -> {
                    if (remind.getCancelPrevious() && state.getLastTimer() != null) {
                        ctx.cancelTimer(new TimerId(state.getLastTimer()));
                    }
                    TimerId timer = ctx.sendAfter(Duration.ofMillis(remind.getDelayMs()), ctx.self(), new Fire(remind.getNote()));
                    return Reminders.newBuilder(state).setLastTimer(timer.value()).build();
                })
                .on(Fire.class, (state, fire, ctx) -> {
                    List<String> fired = new ArrayList<>(state.getFired());
                    fired.add(fire.getNote());
                    List<Long> at = new ArrayList<>(state.getFiredAt());
                    at.add(ctx.now().toEpochMilli());
                    return Reminders.newBuilder(state).setFired(fired).setFiredAt(at).build();
                })
                .sends(REMINDER, Fire.class)
                .build();
    }
}
