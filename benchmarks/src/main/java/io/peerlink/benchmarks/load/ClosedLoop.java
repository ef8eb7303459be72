package io.peerlink.benchmarks.load;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * {@code concurrency} independent loops, each starting the next operation when the previous one ends, for a
 * warm-up and then a measured window; counts completions inside the window and records their latencies. Bounded:
 * loops stop at the end of the window, and waiting for them is capped.
 *
 * <pre>{@code
 * ClosedLoop.Outcome o = ClosedLoop.run(64, Duration.ofSeconds(2), Duration.ofSeconds(10), () -> op());
 * double perSecond = o.rate();
 * }</pre>
 */
final class ClosedLoop {
    private static final Executor RETRY_LATER = CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS);

    /** The result: operations completed in the window, failures anywhere, latencies of the counted operations. */
    record Outcome(long completed, long errors, double windowSeconds, Histogram latencyNanos, String firstError) {
        double rate() {
            return completed / windowSeconds;
        }

        double percentileMillis(double p) {
            return latencyNanos.getValueAtPercentile(p) / 1e6;
        }
    }

    private ClosedLoop() {}

    /**
     * Runs {@code concurrency} loops of {@code op} until {@code count} operations have completed (failed ones do not
     * count) or {@code cap} has passed, whichever comes first; returns the completed count. A warm-up by count: a
     * slow variant (TLS) otherwise reaches its measured window with a JVM that has run far fewer of its paths, and
     * pays for its JIT compilation inside the window.
     */
    static long prime(int concurrency, long count, Duration cap, Supplier<CompletableFuture<Long>> op)
            throws InterruptedException {
        long end = System.nanoTime() + cap.toNanos();
        AtomicLong completed = new AtomicLong();
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int i = 0; i < concurrency; i++) {
            new Object() {
                void next() {
                    if (completed.get() >= count || System.nanoTime() >= end) {
                        done.countDown();
                        return;
                    }
                    CompletableFuture<Long> f;
                    try {
                        f = op.get();
                    } catch (RuntimeException e) {
                        f = CompletableFuture.failedFuture(e);
                    }
                    f.whenComplete((latency, error) -> {
                        if (error != null) {
                            RETRY_LATER.execute(this::next);
                            return;
                        }
                        completed.incrementAndGet();
                        next();
                    });
                }
            }.next();
        }
        if (!done.await(cap.toSeconds() + 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("priming loop did not finish in time");
        }
        return completed.get();
    }

    /** {@code op} returns a future of the latency to record, in nanoseconds. */
    static Outcome run(int concurrency, Duration warmup, Duration window, Supplier<CompletableFuture<Long>> op)
            throws InterruptedException {
        return run(concurrency, warmup, window, op, () -> {}, () -> {});
    }

    /** As above; {@code atWindowStart} and {@code atWindowEnd} run on a helper thread when the window opens and ends. */
    static Outcome run(
            int concurrency,
            Duration warmup,
            Duration window,
            Supplier<CompletableFuture<Long>> op,
            Runnable atWindowStart,
            Runnable atWindowEnd)
            throws InterruptedException {
        long start = System.nanoTime();
        long from = start + warmup.toNanos();
        long end = from + window.toNanos();
        Thread probe = new Thread(
                () -> {
                    try {
                        TimeUnit.NANOSECONDS.sleep(Math.max(0, from - System.nanoTime()));
                        atWindowStart.run();
                        TimeUnit.NANOSECONDS.sleep(Math.max(0, end - System.nanoTime()));
                        atWindowEnd.run();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "closed-loop-window");
        probe.setDaemon(true);
        probe.start();
        AtomicLong completed = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        Histogram histogram = new Histogram(60_000_000_000L, 3);
        String[] firstError = {""};
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int i = 0; i < concurrency; i++) {
            new Object() {
                void next() {
                    if (System.nanoTime() >= end) {
                        done.countDown();
                        return;
                    }
                    CompletableFuture<Long> f;
                    try {
                        f = op.get();
                    } catch (RuntimeException e) {
                        f = CompletableFuture.failedFuture(e);
                    }
                    f.whenComplete((latency, error) -> {
                        long now = System.nanoTime();
                        if (error != null) {
                            errors.incrementAndGet();
                            synchronized (firstError) {
                                if (firstError[0].isEmpty()) {
                                    firstError[0] = String.valueOf(error);
                                }
                            }
                            RETRY_LATER.execute(this::next);
                            return;
                        }
                        if (now >= from && now < end) {
                            completed.incrementAndGet();
                            synchronized (histogram) {
                                histogram.recordValue(Math.min(latency, histogram.getHighestTrackableValue()));
                            }
                        }
                        next();
                    });
                }
            }.next();
        }
        if (!done.await(warmup.plus(window).toSeconds() + 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("closed loop did not finish in time");
        }
        probe.join(10_000);
        return new Outcome(completed.get(), errors.get(), window.toNanos() / 1e9, histogram, firstError[0]);
    }
}
