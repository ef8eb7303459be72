package io.peerlink.benchmarks.load;

import java.lang.management.ManagementFactory;

/**
 * CPU time of this JVM (all threads, user + system). Wall-clock rates on a shared 2-core machine move with whatever
 * else runs; CPU time per message or per handshake moves much less, so scenarios report both.
 *
 * <pre>{@code
 * long before = Cpu.processNanos();
 * }</pre>
 */
final class Cpu {
    private Cpu() {}

    static long processNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
