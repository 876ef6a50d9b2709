package io.ved.tooling.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * CPU time of the threads whose name matches, between two points: what a variant's own threads (stream thread,
 * handler thread, its clients' network threads) cost, apart from the broker's, which runs in the same JVM. Less
 * disturbed by other load on the machine than wall-clock throughput, though not immune (caches, frequency).
 */
final class CpuMeter {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Predicate<String> threadName;
    private final Map<Long, Long> start;
    private final long processStart;

    private CpuMeter(Predicate<String> threadName) {
        this.threadName = threadName;
        this.start = snapshot(threadName);
        this.processStart = processCpuNanos();
    }

    static CpuMeter start(Predicate<String> threadName) {
        if (THREADS.isThreadCpuTimeSupported() && !THREADS.isThreadCpuTimeEnabled()) {
            THREADS.setThreadCpuTimeEnabled(true);
        }
        return new CpuMeter(threadName);
    }

    /** CPU nanoseconds the matching threads used since the start (threads that ended meanwhile are missed). */
    long threadNanos() {
        long total = 0;
        for (var e : snapshot(threadName).entrySet()) {
            total += e.getValue() - start.getOrDefault(e.getKey(), 0L);
        }
        return total;
    }

    /** CPU nanoseconds the whole JVM (broker included) used since the start. */
    long processNanos() {
        return processCpuNanos() - processStart;
    }

    private static Map<Long, Long> snapshot(Predicate<String> threadName) {
        Map<Long, Long> cpu = new HashMap<>();
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] != null && threadName.test(infos[i].getThreadName())) {
                long t = THREADS.getThreadCpuTime(ids[i]);
                if (t >= 0) {
                    cpu.put(ids[i], t);
                }
            }
        }
        return cpu;
    }

    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
