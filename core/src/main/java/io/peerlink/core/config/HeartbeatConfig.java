package io.peerlink.core.config;

import java.time.Duration;

/**
 * Liveness of established links: a ping every {@code interval}; a peer that answers none of {@code missesAllowed}
 * consecutive pings (and sends nothing else) is declared lost, so detection takes at most
 * {@code interval * (missesAllowed + 1)}.
 *
 * <pre>{@code
 * HeartbeatConfig hb = new HeartbeatConfig(Duration.ofMillis(500), 3);
 * }</pre>
 */
public record HeartbeatConfig(Duration interval, int missesAllowed) {
    public HeartbeatConfig {
        Checks.positive("heartbeat.interval", interval);
        Checks.atLeast("heartbeat.missesAllowed", missesAllowed, 1);
    }

    public static HeartbeatConfig defaults() {
        return new HeartbeatConfig(Defaults.HEARTBEAT_INTERVAL, Defaults.HEARTBEAT_MISSES);
    }

    /** The longest time a silent peer can stay listed as connected. */
    public Duration detectionBound() {
        return interval.multipliedBy(missesAllowed + 1L);
    }
}
