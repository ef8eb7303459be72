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

    CpuMeter(long childPid) {
        this.childPid = childPid;
    }

    void start() {
        ownStart = ownNanos();
        childStart = processNanos(childPid);
    }

    void stop() {
        ownSpent = ownNanos() - ownStart;
        childSpent = processNanos(childPid) - childStart;
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
        return m;
    }

    double totalMicrosPerOperation(long operations) {
        return operations <= 0 ? Double.NaN : (ownSpent + childSpent) / 1e3 / operations;
    }

    static long ownNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** User + system CPU time of a process (clock-tick resolution on Linux), or -1. */
    static long processNanos(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toNanos).orElse(-1L);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
