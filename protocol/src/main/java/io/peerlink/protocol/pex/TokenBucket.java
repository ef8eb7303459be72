package io.peerlink.protocol.pex;

import java.util.concurrent.TimeUnit;

/**
 * A token bucket that holds {@code perMinute} tokens at most and refills at {@code perMinute} per minute, read
 * against a caller-supplied clock (nanoseconds). Not thread-safe: callers synchronize.
 */
final class TokenBucket {
    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final int perMinute;
    /** Tokens in units of 1/MINUTE_NANOS, so that refilling is exact integer arithmetic. */
    private long level;

    private long lastNanos;

    TokenBucket(int perMinute, long nowNanos) {
        if (perMinute < 0) {
            throw new IllegalArgumentException("perMinute: " + perMinute + " (expected: >= 0)");
        }
        this.perMinute = perMinute;
        this.level = (long) perMinute * MINUTE_NANOS;
        this.lastNanos = nowNanos;
    }

    /** Takes one token if there is one. */
    boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (level < MINUTE_NANOS) {
            return false;
        }
        level -= MINUTE_NANOS;
        return true;
    }

    /** Whether one token is there (takes nothing). */
    boolean available(long nowNanos) {
        refill(nowNanos);
        return level >= MINUTE_NANOS;
    }

    /** Whether the bucket is full again (nothing to remember about it). */
    boolean full(long nowNanos) {
        refill(nowNanos);
        return level == (long) perMinute * MINUTE_NANOS;
    }

    private void refill(long nowNanos) {
        long elapsed = Math.max(0, nowNanos - lastNanos);
        lastNanos = nowNanos;
        long max = (long) perMinute * MINUTE_NANOS;
        // elapsed * perMinute overflows only after ~ 2^63 / (perMinute * 1e9 * 60) minutes: cap elapsed first
        long capped = Math.min(elapsed, MINUTE_NANOS);
        level = Math.min(max, level + capped * perMinute);
    }
}
