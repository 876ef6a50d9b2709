package io.ved.runtime.handler;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread that looks at every {@link WatchedRunner} of the JVM a few times a second, so that the time
 * limit costs the stream threads nothing but two clock reads per call. An overrun is noticed within one
 * {@link #TICK} of the limit.
 */
final class HandlerWatchdog {
    static final Duration TICK = Duration.ofMillis(50);

    private final Set<WatchedRunner> runners = ConcurrentHashMap.newKeySet();

    private static final class Shared {
        static final HandlerWatchdog INSTANCE = new HandlerWatchdog();
    }

    private HandlerWatchdog() {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ved-handler-watchdog");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::round, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    static HandlerWatchdog shared() {
        return Shared.INSTANCE;
    }

    void watch(WatchedRunner runner) {
        runners.add(runner);
    }

    void forget(WatchedRunner runner) {
        runners.remove(runner);
    }

    boolean watches(WatchedRunner runner) {
        return runners.contains(runner);
    }

    private void round() {
        long now = System.nanoTime();
        for (WatchedRunner runner : runners) {
            try {
                runner.check(now);
            } catch (RuntimeException e) {
                // one runner's trouble must not end the watch over the others
            }
        }
    }
}
