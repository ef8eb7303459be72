package io.peerlink.sim;

import io.peerlink.core.NodeId;
import io.peerlink.protocol.handshake.Handshake;
import org.jspecify.annotations.Nullable;

/** A TCP connection: end 0 dialed, end 1 accepted. */
final class Sock {
    final long id;
    final SimNode[] ends;
    final @Nullable NodeId expected;
    final boolean[] open = {true, true};
    final boolean[] auth = new boolean[2];
    final boolean[] silent = new boolean[2];
    final boolean[] dupClosed = new boolean[2];
    /** Per end that closed this link as a duplicate: the link it kept instead. */
    final long[] keptInstead = {-1, -1};

    final long[] closedAt = {-1, -1};
    /** Per direction (index = sending end): since when its packets are lost, or -1. */
    final long[] blockedSince = {-1, -1};

    final long[] lastDelivery = new long[2];
    final @Nullable Handshake[] handshake = new Handshake[2];
    final @Nullable NodeId[] peer = new NodeId[2];

    Sock(long id, SimNode dialer, SimNode acceptor, @Nullable NodeId expected) {
        this.id = id;
        this.ends = new SimNode[] {dialer, acceptor};
        this.expected = expected;
    }

    SimNode node(int end) {
        return ends[end];
    }

    int endOf(SimNode n) {
        return ends[0] == n ? 0 : 1;
    }
}
