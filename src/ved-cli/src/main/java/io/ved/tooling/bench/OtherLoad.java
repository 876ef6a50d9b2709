package io.ved.tooling.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How much of the machine's CPU went to work other than the benchmark's own during a run: all the CPU the machine
 * spent (from {@code /proc/stat}) less what this process and its children spent (the schema registry, the recovery
 * run's apps; sampled every half second, so that a child killed meanwhile still counts). A load average cannot say
 * that: the benchmark itself keeps both cores busy, and the build that precedes it raises the load average at its
 * start.
 */
final class OtherLoad {
    private static final Path PROC_STAT = Path.of("/proc/stat");

    private static final Duration CHILD_SAMPLING = Duration.ofMillis(500);

    private final long[] machineStart;
    private final long ownStart;
    private final Map<Long, Long> childrenStart;
    /** The last CPU time seen of every child, kept after it ends: a killed child's CPU was the benchmark's too. */
    private final Map<Long, Long> childrenLast = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ved-bench-load-sampler");
        t.setDaemon(true);
        return t;
    });

    private OtherLoad(long[] machineStart, long ownStart, Map<Long, Long> childrenStart) {
        this.machineStart = machineStart;
        this.ownStart = ownStart;
        this.childrenStart = childrenStart;
        sampler.scheduleWithFixedDelay(() -> childrenLast.putAll(childrenCpuNanos()), 0, CHILD_SAMPLING.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    static OtherLoad start() {
        return new OtherLoad(machineJiffies(), ownCpuNanos(), childrenCpuNanos());
    }

    /**
     * The share (0 to 1) of the machine's CPU capacity other processes used since the start, or empty where the
     * machine does not tell (no {@code /proc/stat}).
     */
    OptionalDouble share(Duration wall) {
        sampler.shutdownNow();
        childrenLast.putAll(childrenCpuNanos());
        long[] now = machineJiffies();
        if (machineStart == null || now == null || wall.isZero()) {
            return OptionalDouble.empty();
        }
        long busy = now[0] - machineStart[0];
        long total = now[1] - machineStart[1];
        if (total <= 0) {
            return OptionalDouble.empty();
        }
        double machineBusy = (double) busy / total;
        long ours = ownCpuNanos() - ownStart;
        for (Map.Entry<Long, Long> child : childrenLast.entrySet()) {
            ours += child.getValue() - childrenStart.getOrDefault(child.getKey(), 0L);
        }
        double oursShare = ours / (wall.toNanos() * (double) Runtime.getRuntime().availableProcessors());
        return OptionalDouble.of(Math.max(0, machineBusy - oursShare));
    }

    /** Busy and total jiffies of all CPUs, or null if unknown. */
    private static long[] machineJiffies() {
        try {
            String[] f = Files.readAllLines(PROC_STAT).getFirst().trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            long busy = 0;
            for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return new long[] {busy, busy + idle};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long ownCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private static Map<Long, Long> childrenCpuNanos() {
        Map<Long, Long> cpu = new HashMap<>();
        ProcessHandle.current().descendants().forEach(p ->
                p.info().totalCpuDuration().ifPresent(d -> cpu.put(p.pid(), d.toNanos())));
        return cpu;
    }
}
