package io.peerlink.protocol.manager;

import io.peerlink.core.config.DialPolicy;
import java.util.random.RandomGenerator;

/**
 * The wait before retry number {@code n} of a dial, the same as Reactor's {@code Retry.backoff(..)} that
 * {@link io.peerlink.protocol.dial.DialRetry} builds: {@code minBackoff * 2^(n-1)} capped at {@code maxBackoff},
 * moved by up to {@code jitter} of itself and kept within {@code [minBackoff, maxBackoff]}.
 */
final class Backoff {
    private Backoff() {}

    /** @param retry 1 for the first retry */
    static long nanos(DialPolicy policy, int retry, RandomGenerator random) {
        long min = policy.minBackoff().toNanos();
        long max = policy.maxBackoff().toNanos();
        int doublings = Math.min(retry - 1, 62);
        long next = doublings >= 62 || min > (max >> doublings) ? max : Math.min(max, min << doublings);
        long offset = (long) (next * policy.jitter());
        long low = Math.max(min - next, -offset);
        long high = Math.min(max - next, offset);
        long jitter = high <= low ? 0 : low + random.nextLong(high - low + 1);
        return next + jitter;
    }
}
