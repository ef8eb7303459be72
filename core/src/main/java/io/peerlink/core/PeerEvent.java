package io.peerlink.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What happened to a peer. Subscribers of a node's event stream first receive the current peers as
 * {@link Connected}, then live events. A peer's link starts with {@link Connected}, may be swapped for a link to a
 * restarted peer ({@link Restarted}, which both ends the old link and starts the new one), and ends with
 * {@link Disconnected} or {@link Lost}.
 *
 * <pre>{@code
 * node.events().subscribe(e -> {
 *     if (e instanceof PeerEvent.Lost lost) log.warn("lost {}: {}", lost.connection().peer(), lost.reason());
 * });
 * }</pre>
 */
public sealed interface PeerEvent {

    /** A peer finished the handshake and is now counted as connected. */
    record Connected(Connection connection) implements PeerEvent {
        public Connected {
            Objects.requireNonNull(connection, "connection");
        }
    }

    /**
     * The peer restarted: a link from a newer boot incarnation of it authenticated and took over at once from
     * {@code previous} (which may have been half-dead: its host crashed and no reset arrived), whoever dialed. The
     * peer lost whatever state it held for this node; {@code current} is its link now. No {@code Lost} or
     * {@code Disconnected} follows for {@code previous}. A restart whose previous link was already found lost shows
     * as {@code Lost} then {@code Connected} (with a higher {@link Connection#peerIncarnation()}).
     */
    record Restarted(Connection previous, Connection current) implements PeerEvent {
        public Restarted {
            Objects.requireNonNull(previous, "previous");
            Objects.requireNonNull(current, "current");
            if (!previous.peer().equals(current.peer())) {
                throw new IllegalArgumentException(
                        "previous: " + previous.peer() + ", current: " + current.peer() + " (expected: the same peer)");
            }
        }
    }

    /**
     * An orderly end of a link: one side sent a {@code Disconnect} (revoked, shutdown, duplicate...).
     *
     * @param byPeer true if the peer sent the reason, false if this node closed the link
     */
    record Disconnected(Connection connection, DisconnectReason reason, String detail, boolean byPeer)
            implements PeerEvent {
        public Disconnected {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** A link died without an orderly goodbye: socket closed or reset, or heartbeats missed. */
    record Lost(Connection connection, DisconnectReason reason, String detail) implements PeerEvent {
        public Lost {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** A dial gave up after its last attempt. */
    record DialFailed(PeerAddress address, @Nullable NodeId expected, DisconnectReason reason, String detail)
            implements PeerEvent {
        public DialFailed {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * A handshake was refused, by this node or by the peer.
     *
     * @param peer the id the peer claimed, if it got that far
     * @param byPeer true if the peer refused us
     */
    record Rejected(
            PeerAddress remoteAddress, @Nullable NodeId peer, DisconnectReason reason, String detail, boolean byPeer)
            implements PeerEvent {
        public Rejected {
            Objects.requireNonNull(remoteAddress, "remoteAddress");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
