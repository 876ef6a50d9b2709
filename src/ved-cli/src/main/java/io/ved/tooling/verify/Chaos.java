package io.ved.tooling.verify;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;

/**
 * The fault loop. Every few seconds a random app process is killed with kill -9 and started again after a short
 * pause; at planned moments, spread evenly over the run, the other faults of {@link FaultKind} happen: the
 * accounts application grows or shrinks, an app process is bounced cleanly, frozen with SIGSTOP past its session
 * timeout, or cut off by a network black-hole; a broker (on a cluster: a partition leader or the active controller)
 * is killed with kill -9 and restarted on its data, frozen with SIGSTOP, or bounced with a controlled shutdown. It
 * also restarts any app process that exited on its own, and counts those. Faults never overlap: the next waits
 * until processing resumed after the last.
 */
final class Chaos implements Runnable {
    private static final Duration SETTLE_AT_MOST = Duration.ofSeconds(60);

    /** A fault planned for a moment of the run; {@code scaleTo} is the process count of a scale event. */
    private record Planned(long atNanos, FaultKind kind, int scaleTo) {
    }

    private final List<AppProcess> apps;
    private final VerifyDeployment.Application scaled;
    private final BrokerFault brokerFault;
    private final NetworkFault networkFault;
    private final Monitor monitor;
    private final Random random;
    private final Duration killEvery;
    private final Deque<Planned> planned;
    private final Duration pauseLength;
    private final Duration brokerPauseLength;
    private final int minKills;
    private final long startNanos;
    private final PrintWriter out;
    private final Map<FaultKind, AtomicInteger> counts = new EnumMap<>(FaultKind.class);
    private final AtomicInteger unexpectedExits = new AtomicInteger();
    private final List<Duration> brokerDownTimes = new ArrayList<>();

    private Monitor.Watch lastFault;
    private volatile boolean productionOver;
    private volatile boolean stopped;
    private volatile boolean done;

    /**
     * @param apps         every app process of the run, started or not; the accounts application's that are not
     *                     {@link AppProcess#wanted()} are its room to scale up into
     * @param scaled       the application whose processes the scale events add and remove
     * @param brokerFault  null when the brokers are not the run's own
     * @param networkFault null when there is none; it cuts off {@code apps.get(0)}
     */
    Chaos(List<AppProcess> apps, VerifyDeployment.Application scaled, BrokerFault brokerFault, NetworkFault networkFault,
          Monitor monitor, VerifySettings settings, PrintWriter out) {
        this.apps = apps;
        this.scaled = scaled;
        this.brokerFault = brokerFault;
        this.networkFault = networkFault;
        this.monitor = monitor;
        this.random = new Random(settings.seed() ^ 0x5DEECE66DL);
        this.minKills = settings.minKills();
        this.out = out;
        this.startNanos = System.nanoTime();
        for (FaultKind kind : FaultKind.values()) {
            counts.put(kind, new AtomicInteger());
        }
        // Spread the kills so that at least the minimum fits in the run, one every 4 to 12 s on average (an app
        // needs a few seconds to rejoin: killing faster would mostly measure the JVM's start-up).
        long perKill = settings.duration().toMillis() / (settings.minKills() + 1L);
        this.killEvery = Duration.ofMillis(Math.clamp(perKill, 4_000, 12_000));
        this.planned = plan(settings, startNanos, brokerFault != null, networkFault != null);
        this.pauseLength = settings.pauseLength();
        this.brokerPauseLength = settings.brokerPauseLength();
    }

    /** The planned faults, one kind after another in turn, at evenly spaced moments of the run. */
    private static Deque<Planned> plan(VerifySettings settings, long start, boolean brokers, boolean network) {
        List<List<Planned>> byKind = new ArrayList<>();
        byKind.add(settings.scaleSteps().stream().map(n -> new Planned(0, FaultKind.SCALE_UP, n)).toList());
        byKind.add(times(FaultKind.BROKER_KILL, brokers ? settings.plannedBrokerRestarts() : 0));
        byKind.add(times(FaultKind.APP_PAUSE, settings.pauses()));
        byKind.add(times(FaultKind.NETWORK, network ? settings.plannedNetworkFaults() : 0));
        byKind.add(times(FaultKind.BROKER_PAUSE, brokers ? settings.plannedBrokerPauses() : 0));
        byKind.add(times(FaultKind.APP_BOUNCE, settings.appBounces()));
        byKind.add(times(FaultKind.BROKER_BOUNCE, brokers ? settings.plannedBrokerBounces() : 0));
        List<Planned> order = new ArrayList<>();
        for (int round = 0; order.size() < byKind.stream().mapToInt(List::size).sum(); round++) {
            for (List<Planned> kind : byKind) {
                if (round < kind.size()) {
                    order.add(kind.get(round));
                }
            }
        }
        Deque<Planned> timed = new ConcurrentLinkedDeque<>();
        for (int i = 0; i < order.size(); i++) {
            long at = start + settings.duration().toNanos() * (i + 1) / (order.size() + 1);
            timed.add(new Planned(at, order.get(i).kind(), order.get(i).scaleTo()));
        }
        return timed;
    }

    private static List<Planned> times(FaultKind kind, int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> new Planned(0, kind, 0)).toList();
    }

    @Override
    public void run() {
        try {
            long nextKill = startNanos + jittered(killEvery).toNanos();
            while (!stopped) {
                restartExited();
                long now = System.nanoTime();
                boolean plannedDue = !planned.isEmpty() && (now >= planned.getFirst().atNanos() || productionOver);
                if ((plannedDue || now >= nextKill) && !settled(now)) {
                    Thread.sleep(100);
                    continue;
                }
                if (plannedDue) {
                    inject(planned.removeFirst());
                    nextKill = Math.max(nextKill, System.nanoTime() + jittered(killEvery).toNanos() / 2);
                } else if (now >= nextKill) {
                    killOne();
                    nextKill = System.nanoTime() + jittered(killEvery).toNanos();
                } else if (productionOver && kills() >= minKills && planned.isEmpty()) {
                    break;
                }
                Thread.sleep(100);
            }
            for (AppProcess app : apps) {
                if (app.wanted()) {
                    app.forgetExited();
                    app.start();
                }
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

    private void inject(Planned fault) throws InterruptedException {
        switch (fault.kind()) {
            case SCALE_UP, SCALE_DOWN -> scale(fault.scaleTo());
            case APP_PAUSE -> pauseOne();
            case APP_BOUNCE -> bounceOne();
            case NETWORK -> blackHole();
            case BROKER_KILL, BROKER_PAUSE, BROKER_BOUNCE -> brokerFault(fault.kind());
            case APP_KILL -> killOne();
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

    private Optional<AppProcess> randomRunning() {
        List<AppProcess> alive = apps.stream().filter(AppProcess::isAlive).toList();
        return alive.isEmpty() ? Optional.empty() : Optional.of(alive.get(random.nextInt(alive.size())));
    }

    /** Starts timing a fault: where each partition stood a moment ago (or now, after an app fault). */
    private Monitor.Watch watch(FaultKind kind, String what, long at) {
        Optional<Monitor.Sample> sample = monitor.sampleNow().or(monitor::last);
        Map<TopicPartition, Long> committed = sample.map(Monitor.Sample::committed).orElse(Map.of());
        boolean idle = productionOver && sample.map(s -> s.totalLag() == 0).orElse(false);
        lastFault = monitor.watch(kind, what, at, committed, idle);
        return lastFault;
    }

    private int count(FaultKind kind) {
        return counts.get(kind).incrementAndGet();
    }

    private void say(String format, Object... args) {
        out.printf("  chaos: " + format + "%n", args);
        out.flush();
    }

    private void killOne() throws InterruptedException {
        Optional<AppProcess> chosen = randomRunning();
        if (chosen.isEmpty()) {
            return;
        }
        AppProcess victim = chosen.get();
        long pid = victim.pid();
        long at = System.nanoTime();
        victim.kill();
        int n = count(FaultKind.APP_KILL);
        watch(FaultKind.APP_KILL, "kill " + n + " (app " + victim.index() + ")", at);
        long pause = 1_000 + random.nextInt(2_000);
        say("kill -9 app %d (pid %d), kill %d; restarting it in %.1f s", victim.index(), pid, n, pause / 1000.0);
        Thread.sleep(pause);
        victim.start();
    }

    /** SIGTERM, as a rolling restart does: Ved closes and commits; the process starts again at once. */
    private void bounceOne() {
        Optional<AppProcess> chosen = randomRunning();
        if (chosen.isEmpty()) {
            return;
        }
        AppProcess victim = chosen.get();
        int n = count(FaultKind.APP_BOUNCE);
        say("bounce of app %d (pid %d): SIGTERM, then start, bounce %d", victim.index(), victim.pid(), n);
        watch(FaultKind.APP_BOUNCE, "bounce " + n + " (app " + victim.index() + ")", System.nanoTime());
        victim.stop();
        victim.start();
    }

    /** SIGSTOP of a random running app past its session timeout, then SIGCONT: it must be fenced, not commit late. */
    private void pauseOne() throws InterruptedException {
        Optional<AppProcess> chosen = randomRunning();
        if (chosen.isEmpty()) {
            return;
        }
        AppProcess victim = chosen.get();
        int n = count(FaultKind.APP_PAUSE);
        say("SIGSTOP of app %d (pid %d) for %d s, pause %d", victim.index(), victim.pid(), pauseLength.toSeconds(), n);
        watch(FaultKind.APP_PAUSE, "pause " + n + " (app " + victim.index() + ")", System.nanoTime());
        victim.pause(pauseLength);
        say("SIGCONT of app %d", victim.index());
    }

    /** App 0's connections go silent past its session timeout: it must be fenced, rejoin, and its stale work not land. */
    private void blackHole() throws InterruptedException {
        AppProcess victim = apps.getFirst();
        int n = count(FaultKind.NETWORK);
        say("network black-hole between app %d (pid %d) and every broker for %d s, network fault %d", victim.index(),
                victim.pid(), pauseLength.toSeconds(), n);
        watch(FaultKind.NETWORK, "black-hole " + n + " (app " + victim.index() + ")", System.nanoTime());
        networkFault.blackHole();
        try {
            Thread.sleep(pauseLength.toMillis());
        } finally {
            networkFault.restore();
        }
        say("network of app %d restored", victim.index());
    }

    /** Grows the scaled application to {@code to} processes, or shrinks it by stopping its newest ones. */
    private void scale(int to) {
        List<AppProcess> own = apps.stream().filter(a -> a.application().equals(scaled)).toList();
        List<AppProcess> running = own.stream().filter(AppProcess::wanted).toList();
        if (to == running.size()) {
            return;
        }
        boolean up = to > running.size();
        FaultKind kind = up ? FaultKind.SCALE_UP : FaultKind.SCALE_DOWN;
        int n = count(kind);
        // odd shrinks stop cleanly, even ones with kill -9: both ways an instance leaves for good
        boolean cleanly = n % 2 == 1;
        say("scale %s %d: %s from %d to %d process(es)%s", up ? "up" : "down", n, scaled.id(), running.size(), to,
                up ? "" : cleanly ? " (SIGTERM)" : " (kill -9)");
        long at = System.nanoTime();
        if (up) {
            own.stream().filter(a -> !a.wanted()).limit(to - running.size()).forEach(AppProcess::start);
        } else {
            running.stream().sorted(Comparator.comparingInt(AppProcess::index).reversed()).limit(running.size() - to)
                    .forEach(a -> a.retire(cleanly));
        }
        watch(kind, "scale " + (up ? "up " : "down ") + n + " (to " + to + ")", at);
    }

    private void brokerFault(FaultKind kind) throws InterruptedException {
        BrokerFault.Target target = brokerFault.next(kind);
        long at = System.nanoTime();
        int n = count(kind);
        watch(kind, switch (kind) {
            case BROKER_KILL -> "broker kill ";
            case BROKER_PAUSE -> "broker pause ";
            default -> "broker bounce ";
        } + n, at);
        switch (kind) {
            case BROKER_KILL -> {
                say("kill -9 of %s, broker kill %d", target.description(), n);
                target.node().kill();
                Thread.sleep(2_000);
                target.node().start();
                brokerBack(at);
            }
            case BROKER_PAUSE -> {
                say("SIGSTOP of %s for %d s, broker pause %d", target.description(), brokerPauseLength.toSeconds(), n);
                target.node().pause(brokerPauseLength);
                say("SIGCONT of node %d", target.node().nodeId());
            }
            default -> {
                say("controlled shutdown of %s, broker bounce %d", target.description(), n);
                target.node().stop();
                target.node().start();
                brokerBack(at);
            }
        }
    }

    private void brokerBack(long downSince) {
        Duration down = Duration.ofNanos(System.nanoTime() - downSince);
        synchronized (brokerDownTimes) {
            brokerDownTimes.add(down);
        }
        say("broker back after %.1f s", down.toMillis() / 1000.0);
    }

    private void restartExited() {
        for (AppProcess app : apps) {
            if (app.wanted() && app.exitedUnexpectedly()) {
                unexpectedExits.incrementAndGet();
                say("app %d exited on its own (code %d; see %s); restarting it", app.index(), app.exitCode(), app.logFile());
                app.forgetExited();
                app.start();
            }
        }
    }

    /**
     * When the next planned fault is due ({@link System#nanoTime()}), or {@link Long#MAX_VALUE} when none is left;
     * the driver does not send past that moment of its schedule until the fault has begun, so a fault delayed by a
     * slow recovery still comes while deposits flow. Safe to call from any thread.
     */
    long nextPlannedAt() {
        Planned next = planned.peekFirst();
        return next == null ? Long.MAX_VALUE : next.atNanos();
    }

    /** The driver has sent everything: finish the minimum kills and the planned faults, then stop. */
    void productionOver() {
        productionOver = true;
    }

    void stop() {
        stopped = true;
    }

    boolean done() {
        return done;
    }

    /** Faults of this kind done so far. */
    int done(FaultKind kind) {
        return counts.get(kind).get();
    }

    int kills() {
        return done(FaultKind.APP_KILL);
    }

    int brokerRestarts() {
        return done(FaultKind.BROKER_KILL);
    }

    int pauses() {
        return done(FaultKind.APP_PAUSE);
    }

    /** Every kind's count, in the report's order. */
    Map<FaultKind, Integer> counts() {
        Map<FaultKind, Integer> copy = new EnumMap<>(FaultKind.class);
        counts.forEach((kind, n) -> copy.put(kind, n.get()));
        return copy;
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
