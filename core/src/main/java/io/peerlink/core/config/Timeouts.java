package io.peerlink.core.config;

import java.time.Duration;

/**
 * Deadlines.
 *
 * <pre>{@code
 * Timeouts t = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(5));
 * }</pre>
 *
 * @param handshake one fixed deadline from accept/connect to authenticated; dribbling bytes does not extend it
 * @param connect TCP connect timeout of a dial attempt
 * @param shutdownGrace how long {@code stop} waits for peers to receive the shutdown notice
 */
public record Timeouts(Duration handshake, Duration connect, Duration shutdownGrace) {
    public Timeouts {
        Checks.positive("handshake", handshake);
        Checks.positive("connect", connect);
        Checks.positive("shutdownGrace", shutdownGrace);
    }

    public static Timeouts defaults() {
        return new Timeouts(Defaults.HANDSHAKE_TIMEOUT, Defaults.CONNECT_TIMEOUT, Defaults.SHUTDOWN_GRACE);
    }
}
