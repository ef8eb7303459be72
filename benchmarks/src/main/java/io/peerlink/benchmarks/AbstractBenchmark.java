package io.peerlink.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Shared JMH defaults for every peerlink benchmark: throughput in ops/s, 5 × 1 s warmup and measurement, 2 forks.
 *
 * <p>Each subclass carries a {@code baseline…} method that does the same framing or crypto without the code under
 * test, so {@code docs/benchmarks.md} reports a ratio rather than a bare number. The forks disable Netty's leak
 * detector and give the JMH threads the pooled allocator's thread-local cache, which Netty otherwise reserves for
 * its own event-loop threads.
 *
 * <pre>{@code
 * public class FrameBenchmark extends AbstractBenchmark {
 *     @Benchmark public void baseline(Blackhole bh) { ... }
 *     @Benchmark public void decode(Blackhole bh) { ... }
 * }
 * // java -jar benchmarks/target/benchmarks.jar FrameBenchmark -rf json
 * }</pre>
 */
@State(Scope.Thread)
@Fork(
        value = 2,
        jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled", "-Dio.netty.allocator.useCacheForAllThreads=true"})
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public abstract class AbstractBenchmark {
    /** Name prefix that marks a method as the baseline of its class. */
    public static final String BASELINE_PREFIX = "baseline";
}
