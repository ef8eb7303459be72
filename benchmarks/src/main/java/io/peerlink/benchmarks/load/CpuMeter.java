package io.peerlink.benchmarks.load;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time spent by this JVM and by a child process over a measured window, so a scenario can report CPU per
 * operation next to its rate: on a shared machine the rate moves with whatever else runs, CPU per operation much
 * less.
 *
 * <pre>{@code
 * CpuMeter cpu = new CpuMeter(target.jvm().pid());
 * ClosedLoop.Outcome o = ClosedLoop.run(64, warmup, window, op, cpu::start, cpu::stop);
 * Map<String, Object> perOp = cpu.perOperation(o.completed());
 * }</pre>
 */
final class CpuMeter {
    private final long childPid;
    private volatile long ownStart;
    private volatile long childStart;
    private volatile long ownSpent = -1;
    private volatile long childSpent = -1;
    private volatile long ownJitStart;
    private volatile long childJitStart;
    private volatile long ownJit = -1;
    private volatile long childJit = -1;

    CpuMeter(long childPid) {
        this.childPid = childPid;
    }

    void start() {
        ownStart = ownNanos();
        childStart = processNanos(childPid);
        ownJitStart = jitNanos(ProcessHandle.current().pid());
        childJitStart = jitNanos(childPid);
    }

    void stop() {
        ownSpent = ownNanos() - ownStart;
        childSpent = processNanos(childPid) - childStart;
        ownJit = jitNanos(ProcessHandle.current().pid()) - ownJitStart;
        childJit = jitNanos(childPid) - childJitStart;
    }

    /** Microseconds of CPU per operation in the generator, in the target and in both; empty if not measured. */
    Map<String, Object> perOperation(long operations) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (operations <= 0 || ownSpent < 0 || childSpent < 0) {
            return m;
        }
        m.put("generator_cpu_us_per_op", round(ownSpent / 1e3 / operations));
        m.put("target_cpu_us_per_op", round(childSpent / 1e3 / operations));
        m.put("total_cpu_us_per_op", round((ownSpent + childSpent) / 1e3 / operations));
        if (ownJitStart >= 0 && childJitStart >= 0) {
            // JIT compiler threads: still busy in the window when the run is short or the machine is shared
            m.put("generator_jit_us_per_op", round(ownJit / 1e3 / operations));
            m.put("target_jit_us_per_op", round(childJit / 1e3 / operations));
        }
        return m;
    }

    /** Unrounded microseconds of CPU per operation, for operations far cheaper than the 0.1 µs rounding above. */
    record PerOperation(double generator, double target, double generatorJit, double targetJit) {}

    PerOperation exactPerOperation(long operations) {
        double n = Math.max(1, operations);
        return new PerOperation(
                ownSpent / 1e3 / n,
                childSpent / 1e3 / n,
                ownJit < 0 ? Double.NaN : ownJit / 1e3 / n,
                childJit < 0 ? Double.NaN : childJit / 1e3 / n);
    }

    double totalMicrosPerOperation(long operations) {
        return operations <= 0 ? Double.NaN : (ownSpent + childSpent) / 1e3 / operations;
    }

    /** As {@link #totalMicrosPerOperation} without the JIT compiler threads (NaN if they were not measured). */
    double totalWithoutJitMicrosPerOperation(long operations) {
        if (operations <= 0 || ownJit < 0 || childJit < 0) {
            return Double.NaN;
        }
        return (ownSpent + childSpent - ownJit - childJit) / 1e3 / operations;
    }

    static long ownNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** User + system CPU time of a process (clock-tick resolution on Linux), or -1. */
    static long processNanos(long pid) {
        return ProcessHandle.of(pid)
                .flatMap(h -> h.info().totalCpuDuration())
                .map(Duration::toNanos)
                .orElse(-1L);
    }

    /** CPU time of a process's JIT compiler threads from {@code /proc} (Linux), or -1. */
    static long jitNanos(long pid) {
        java.nio.file.Path tasks = java.nio.file.Path.of("/proc", Long.toString(pid), "task");
        long ticks = 0;
        try (java.util.stream.Stream<java.nio.file.Path> list = java.nio.file.Files.list(tasks)) {
            for (java.nio.file.Path task : (Iterable<java.nio.file.Path>) list::iterator) {
                String stat;
                try {
                    stat = java.nio.file.Files.readString(task.resolve("stat"));
                } catch (java.io.IOException e) {
                    continue; // the thread ended
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                if (open < 0 || close < open || !stat.substring(open + 1, close).contains("CompilerThre")) {
                    continue;
                }
                String[] f = stat.substring(close + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
            }
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return ticks * 10_000_000L; // USER_HZ is 100 on Linux
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
