package io.peerlink.core;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An authenticated link as the rest of the node sees it. Only authenticated links ever become a Connection.
 *
 * <pre>{@code
 * events.ofType(PeerEvent.Connected.class).map(c -> c.connection().peer());
 * }</pre>
 *
 * @param peer the authenticated node id of the other side
 * @param role its role, as the trust registry states it
 * @param remoteAddress the socket address of the other side
 * @param listenAddress the address it advertised for others to dial, or null if it accepts no connections
 * @param direction whether this node dialed ({@code OUTBOUND}) or accepted ({@code INBOUND})
 * @param establishedAt when the handshake completed
 * @param linkId the link's id, derived by both ends from the handshake (16 hex digits, the same at both ends and in
 *     both ends' log lines; empty for a connection made up without a handshake)
 * @param peerIncarnation the boot incarnation the peer signed in the handshake: grows with every start of the
 *     peer (unsigned; 0 if unknown), so a higher value for the same peer means it restarted in between
 */
public record Connection(
        NodeId peer,
        Role role,
        PeerAddress remoteAddress,
        @Nullable PeerAddress listenAddress,
        Direction direction,
        Instant establishedAt,
        String linkId,
        long peerIncarnation) {
    public Connection {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(establishedAt, "establishedAt");
        Objects.requireNonNull(linkId, "linkId");
    }

    /** Without a link id or incarnation (tests, tools). */
    public Connection(
            NodeId peer,
            Role role,
            PeerAddress remoteAddress,
            @Nullable PeerAddress listenAddress,
            Direction direction,
            Instant establishedAt) {
        this(peer, role, remoteAddress, listenAddress, direction, establishedAt, "", 0);
    }
}
