package io.peerlink.protocol.manager;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import org.jspecify.annotations.Nullable;

/** A dial under way. */
final class DialEntry {
    final long id;
    final DialKey key;
    final PeerAddress address;
    final @Nullable NodeId expected;
    final boolean once;
    int attempt = 1;
    long linkId = -1;
    boolean waiting;
    boolean holdsSlot;

    DialEntry(long id, DialKey key, PeerAddress address, @Nullable NodeId expected, boolean once) {
        this.id = id;
        this.key = key;
        this.address = address;
        this.expected = expected;
        this.once = once;
    }
}
