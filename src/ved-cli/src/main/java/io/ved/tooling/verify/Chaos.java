package io.ved.tooling.verify;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;

/**
 * The fault loop: every few seconds a random app process is killed with kill -9 and started again after a short
 * pause; at planned moments a broker is killed with kill -9 and restarted on the same data (on a cluster: a
 * partition leader or the active controller), and an app process is frozen with SIGSTOP past its session timeout
 * and woken with SIGCONT. It also restarts any app process that exited on its own, and counts those. Faults never
 * overlap: an app is not killed while a broker is down.
 */
final class Chaos implements Runnable {
    private final List<AppProcess> apps;
    private final BrokerFault brokerFault;
    private final Monitor monitor;
    private final Random random;
    private final Duration killEvery;
    private final List<Long> brokerRestartAt;
    private final List<Long> pauseAt;
    private final Duration pauseLength;
    private final AtomicInteger pauses = new AtomicInteger();
    private final int minKills;
    private final long startNanos;
    private final PrintWriter out;
    private final AtomicInteger kills = new AtomicInteger();
    private final AtomicInteger brokerRestarts = new AtomicInteger();
    private final AtomicInteger unexpectedExits = new AtomicInteger();
    private final List<Duration> brokerDownTimes = new ArrayList<>();
    private static final Duration SETTLE_AT_MOST = Duration.ofSeconds(60);

    private Monitor.Watch lastFault;
    private volatile boolean productionOver;
    private volatile boolean stopped;
    private volatile boolean done;

    Chaos(List<AppProcess> apps, BrokerFault brokerFault, Monitor monitor, VerifySettings settings, PrintWriter out) {
        this.apps = apps;
        this.brokerFault = brokerFault;
        this.monitor = monitor;
        this.random = new Random(settings.seed() ^ 0x5DEECE66DL);
        this.minKills = settings.minKills();
        this.out = out;
        this.startNanos = System.nanoTime();
        // Spread the kills so that at least the minimum fits in the run, one every 4 to 12 s on average (an app
        // needs a few seconds to rejoin: killing faster would mostly measure the JVM's start-up).
        long perKill = settings.duration().toMillis() / (settings.minKills() + 1L);
        this.killEvery = Duration.ofMillis(Math.clamp(perKill, 4_000, 12_000));
        List<Long> restarts = new ArrayList<>();
        int planned = brokerFault == null ? 0 : settings.plannedBrokerRestarts();
        for (int i = 1; i <= planned; i++) {
            restarts.add(startNanos + settings.duration().toNanos() * i / (planned + 1) + Duration.ofSeconds(2).toNanos());
        }
        this.brokerRestartAt = restarts;
        // pauses between the broker faults: at 1/3, 2/3 ... of the run, shifted by a sixth
        List<Long> pausesPlanned = new ArrayList<>();
        for (int i = 1; i <= settings.pauses(); i++) {
            pausesPlanned.add(startNanos + settings.duration().toNanos() * (2L * i - 1) / (2L * settings.pauses() + 1));
        }
        this.pauseAt = pausesPlanned;
        this.pauseLength = settings.pauseLength();
    }

    @Override
    public void run() {
        try {
            long nextKill = startNanos + jittered(killEvery).toNanos();
            while (!stopped) {
                restartExited();
                long now = System.nanoTime();
                boolean brokerDue = !brokerRestartAt.isEmpty() && (now >= brokerRestartAt.getFirst() || productionOver);
                boolean pauseDue = !pauseAt.isEmpty() && (now >= pauseAt.getFirst() || productionOver);
                if ((brokerDue || pauseDue || now >= nextKill) && !settled(now)) {
                    Thread.sleep(100);
                    continue;
                }
                if (brokerDue) {
                    brokerRestartAt.removeFirst();
                    restartBroker();
                    nextKill = Math.max(nextKill, System.nanoTime() + jittered(killEvery).toNanos() / 2);
                } else if (pauseDue) {
                    pauseAt.removeFirst();
                    pauseOne();
                    nextKill = Math.max(nextKill, System.nanoTime() + jittered(killEvery).toNanos() / 2);
                } else if (now >= nextKill) {
                    killOne();
                    nextKill = System.nanoTime() + jittered(killEvery).toNanos();
                } else if (productionOver && kills.get() >= minKills && brokerRestartAt.isEmpty() && pauseAt.isEmpty()) {
                    break;
                }
                Thread.sleep(100);
            }
            for (AppProcess app : apps) {
                app.forgetExited();
                app.start();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            out.println("  chaos: stopped on " + e);
            out.flush();
            throw e;
        } finally {
            done = true;
        }
    }

    /**
     * Faults do not pile up: the next one waits until processing resumed after the last (and 2 s more), so each
     * one's time to resume is its own; but it waits {@link #SETTLE_AT_MOST} at most, so a stuck app cannot stop
     * the chaos.
     */
    private boolean settled(long now) {
        if (lastFault == null) {
            // the first fault waits for the first commits: a kill before any is a slower start, not a recovery
            return now - startNanos > SETTLE_AT_MOST.toNanos() || monitor.last()
                    .map(s -> s.committed().values().stream().anyMatch(offset -> offset > 0)).orElse(false);
        }
        if (now - lastFault.faultNanos > SETTLE_AT_MOST.toNanos()) {
            return true;
        }
        return lastFault.resumedNanos >= 0 && now - lastFault.resumedNanos > Duration.ofSeconds(2).toNanos();
    }

    private Duration jittered(Duration base) {
        return Duration.ofMillis((long) (base.toMillis() * (0.6 + 0.8 * random.nextDouble())));
    }

    private void killOne() throws InterruptedException {
        List<AppProcess> alive = apps.stream().filter(AppProcess::isAlive).toList();
        if (alive.isEmpty()) {
            return;
        }
        AppProcess victim = alive.get(random.nextInt(alive.size()));
        long pid = victim.pid();
        long at = System.nanoTime();
        victim.kill();
        Optional<Monitor.Sample> sample = monitor.sampleNow().or(monitor::last);
        Map<TopicPartition, Long> committed = sample.map(Monitor.Sample::committed).orElse(Map.of());
        int n = kills.incrementAndGet();
        lastFault = monitor.watch("kill " + n + " (app " + victim.index() + ")", at, committed, idle(sample));
        long pause = 1_000 + random.nextInt(2_000);
        out.printf("  chaos: kill -9 app %d (pid %d), kill %d; restarting it in %.1f s%n", victim.index(), pid, n, pause / 1000.0);
        out.flush();
        Thread.sleep(pause);
        victim.start();
    }

    private void restartBroker() throws InterruptedException {
        Optional<Monitor.Sample> sample = monitor.sampleNow().or(monitor::last);
        Map<TopicPartition, Long> committed = sample.map(Monitor.Sample::committed).orElse(Map.of());
        long at = System.nanoTime();
        int n = brokerRestarts.incrementAndGet();
        String which = brokerFault.kill();
        out.printf("  chaos: kill -9 of %s, broker restart %d%n", which, n);
        out.flush();
        lastFault = monitor.watch("broker restart " + n, at, committed, idle(sample));
        Thread.sleep(2_000);
        brokerFault.restart();
        Duration down = Duration.ofNanos(System.nanoTime() - at);
        synchronized (brokerDownTimes) {
            brokerDownTimes.add(down);
        }
        out.printf("  chaos: broker back after %.1f s%n", down.toMillis() / 1000.0);
        out.flush();
    }

    /** SIGSTOP of a random running app past its session timeout, then SIGCONT: it must be fenced, not commit late. */
    private void pauseOne() throws InterruptedException {
        List<AppProcess> alive = apps.stream().filter(AppProcess::isAlive).toList();
        if (alive.isEmpty()) {
            return;
        }
        AppProcess victim = alive.get(random.nextInt(alive.size()));
        Optional<Monitor.Sample> sample = monitor.sampleNow().or(monitor::last);
        Map<TopicPartition, Long> committed = sample.map(Monitor.Sample::committed).orElse(Map.of());
        long at = System.nanoTime();
        int n = pauses.incrementAndGet();
        out.printf("  chaos: SIGSTOP of app %d (pid %d) for %d s, pause %d%n", victim.index(), victim.pid(), pauseLength.toSeconds(), n);
        out.flush();
        lastFault = monitor.watch("pause " + n + " (app " + victim.index() + ")", at, committed, idle(sample));
        victim.pause(pauseLength);
        out.printf("  chaos: SIGCONT of app %d%n", victim.index());
        out.flush();
    }

    private boolean idle(Optional<Monitor.Sample> sample) {
        return productionOver && sample.map(s -> s.totalLag() == 0).orElse(false);
    }

    private void restartExited() {
        for (AppProcess app : apps) {
            if (app.exitedUnexpectedly()) {
                unexpectedExits.incrementAndGet();
                out.printf("  chaos: app %d exited on its own (code %d; see %s); restarting it%n", app.index(),
                        app.exitCode(), app.logFile());
                out.flush();
                app.forgetExited();
                app.start();
            }
        }
    }

    /** The driver has sent everything: finish the minimum kills and planned broker restarts, then stop. */
    void productionOver() {
        productionOver = true;
    }

    void stop() {
        stopped = true;
    }

    boolean done() {
        return done;
    }

    int kills() {
        return kills.get();
    }

    int brokerRestarts() {
        return brokerRestarts.get();
    }

    int pauses() {
        return pauses.get();
    }

    int unexpectedExits() {
        return unexpectedExits.get();
    }

    List<Duration> brokerDownTimes() {
        synchronized (brokerDownTimes) {
            return List.copyOf(brokerDownTimes);
        }
    }

    /** Called after the chaos: an app that exits on its own during the catch-up is still a fault to count. */
    void restartExitedAfterChaos() {
        restartExited();
    }
}
