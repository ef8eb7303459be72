package io.peerlink.core;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A connected peer and its last measured heartbeat round-trip time.
 *
 * <pre>{@code
 * node.peers().forEach(p -> System.out.println(p.connection().peer() + " " + p.rtt()));
 * }</pre>
 *
 * @param rtt the last heartbeat round trip, or null before the first pong
 */
public record PeerStatus(Connection connection, @Nullable Duration rtt) {
    public PeerStatus {
        Objects.requireNonNull(connection, "connection");
    }
}
