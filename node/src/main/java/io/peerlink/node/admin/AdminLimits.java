package io.peerlink.node.admin;

import io.peerlink.core.ConfigException;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits of the admin HTTP endpoint, so idle or slow clients cannot hold its connections forever.
 *
 * <pre>{@code
 * AdminLimits limits = new AdminLimits(Duration.ofSeconds(30), Duration.ofSeconds(10), 64);
 * }</pre>
 *
 * @param idleTimeout a connection that sends nothing for this long is closed (config: {@code admin-idle-timeout})
 * @param requestTimeout a request must arrive completely within this time of its first byte (config:
 *     {@code admin-request-timeout}), which stops clients that trickle a request byte by byte
 * @param maxConnections open connections at most; one more is closed at once (config:
 *     {@code admin-max-connections})
 */
public record AdminLimits(Duration idleTimeout, Duration requestTimeout, int maxConnections) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CONNECTIONS = 64;

    public AdminLimits {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (idleTimeout.toMillis() < 100 || idleTimeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new ConfigException("idleTimeout: " + idleTimeout.toMillis() + "ms (expected: 100ms..1h)");
        }
        if (requestTimeout.toMillis() < 100 || requestTimeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new ConfigException("requestTimeout: " + requestTimeout.toMillis() + "ms (expected: 100ms..1h)");
        }
        if (maxConnections < 1 || maxConnections > 100_000) {
            throw new ConfigException("maxConnections: " + maxConnections + " (expected: 1..100000)");
        }
    }

    public static AdminLimits defaults() {
        return new AdminLimits(DEFAULT_IDLE_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_CONNECTIONS);
    }
}
