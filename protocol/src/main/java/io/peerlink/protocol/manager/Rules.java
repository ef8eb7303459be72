package io.peerlink.protocol.manager;

import io.peerlink.core.Direction;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.protocol.dedup.TieBreak;
import org.jspecify.annotations.Nullable;

/**
 * The decisions the simulator's tests replace with known-wrong ones to prove its invariants catch them (see
 * docs/simulation.md). Production uses {@link #STANDARD}; nothing else should implement this.
 */
public interface Rules {
    /** The production rules. */
    Rules STANDARD = new Rules() {};

    /** The direction, seen from {@code local}, of the link that wins a simultaneous open. */
    default Direction preferredDirection(NodeId local, NodeId remote) {
        return TieBreak.preferredDirection(local, remote);
    }

    /** The key dials to this target are shared by. */
    default DialKey dialKey(PeerAddress address, @Nullable NodeId expected) {
        return DialKey.of(address, expected);
    }

    /**
     * Whether a link from a newer boot incarnation of a linked peer takes over at once, whoever dialed
     * ({@code ConnectionTable.decide}'s {@code RESTARTED}); without, incarnations are ignored.
     */
    default boolean takeOverRestarts() {
        return true;
    }

    /** Whether a dial whose link closed during the handshake is retried (and the target dialed again later). */
    default boolean redialAfterHandshakeLoss() {
        return true;
    }

    /**
     * Whether a gateway or observer keeps its {@code attachTo} validator links ({@link Attachments}); without, it
     * keeps only its seeds.
     */
    default boolean keepAttachments() {
        return true;
    }
}
