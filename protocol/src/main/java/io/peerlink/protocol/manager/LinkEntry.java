package io.peerlink.protocol.manager;

import io.peerlink.core.Direction;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.protocol.pex.PexGuard;
import org.jspecify.annotations.Nullable;

/** A link the shell reported. */
final class LinkEntry {
    final long id;
    final Direction direction;
    final PeerAddress remote;

    @Nullable
    DialEntry dial;

    boolean authenticated;
    boolean closing;
    boolean pendingInbound;

    @Nullable
    NodeId peer;

    @Nullable
    Role role;

    @Nullable
    PeerAddress listen;

    long since;

    /** The boot incarnation the peer signed in this link's handshake (0: unknown, never newer). */
    long incarnation;

    @Nullable
    PexGuard guard;

    LinkEntry(long id, Direction direction, PeerAddress remote, @Nullable DialEntry dial) {
        this.id = id;
        this.direction = direction;
        this.remote = remote;
        this.dial = dial;
    }
}
