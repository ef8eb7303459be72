package io.peerlink.core.config;

import java.time.Duration;

/**
 * How a dial retries: exponential backoff from {@code minBackoff} to {@code maxBackoff} with {@code jitter}
 * (0..1), at most {@code maxAttempts} attempts in all; then the dial fails with {@code DialFailed}. A lost validator
 * link or a failed dial to a known validator is retried again after {@code redialInterval}. At most
 * {@code meshDialsInFlight} dials of validators learned from peer exchange run at once.
 *
 * <pre>{@code
 * DialPolicy p = new DialPolicy(8, Duration.ofMillis(100), Duration.ofSeconds(10), 0.5, Duration.ofSeconds(2));
 * }</pre>
 */
public record DialPolicy(
        int maxAttempts,
        Duration minBackoff,
        Duration maxBackoff,
        double jitter,
        Duration redialInterval,
        int meshDialsInFlight) {
    public DialPolicy {
        Checks.atLeast("dial.maxAttempts", maxAttempts, 1);
        Checks.atLeast("dial.meshDialsInFlight", meshDialsInFlight, 1);
        Checks.positive("dial.minBackoff", minBackoff);
        Checks.positive("dial.maxBackoff", maxBackoff);
        Checks.positive("dial.redialInterval", redialInterval);
        if (maxBackoff.compareTo(minBackoff) < 0) {
            throw new io.peerlink.core.ConfigException(
                    "dial.maxBackoff: " + maxBackoff + " (expected: >= dial.minBackoff " + minBackoff + ")");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new io.peerlink.core.ConfigException("dial.jitter: " + jitter + " (expected: 0..1)");
        }
    }

    /** With the default number of mesh dials in flight. */
    public DialPolicy(
            int maxAttempts, Duration minBackoff, Duration maxBackoff, double jitter, Duration redialInterval) {
        this(maxAttempts, minBackoff, maxBackoff, jitter, redialInterval, Defaults.MESH_DIALS_IN_FLIGHT);
    }

    public static DialPolicy defaults() {
        return new DialPolicy(
                Defaults.DIAL_MAX_ATTEMPTS,
                Defaults.DIAL_MIN_BACKOFF,
                Defaults.DIAL_MAX_BACKOFF,
                Defaults.DIAL_JITTER,
                Defaults.REDIAL_INTERVAL,
                Defaults.MESH_DIALS_IN_FLIGHT);
    }
}
