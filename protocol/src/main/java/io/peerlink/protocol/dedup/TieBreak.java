package io.peerlink.protocol.dedup;

import io.peerlink.core.Direction;
import io.peerlink.core.NodeId;

/**
 * Which of two authenticated links between the same pair of nodes survives. The rule: if the two links were dialed
 * by different nodes (a simultaneous open), the link dialed by the node with the smaller id (unsigned byte order)
 * wins; if the same node dialed both, the newer link wins, because a node only dials a peer again once it considers
 * its previous link gone (the acceptor may not have noticed yet). Both ends compute it from facts they share (the
 * two ids and who dialed each link), so they agree without exchanging a message.
 *
 * <pre>{@code
 * if (TieBreak.survivor(me, peer, existing, candidate) == TieBreak.Survivor.CANDIDATE) replace(...);
 * }</pre>
 */
public final class TieBreak {
    private TieBreak() {}

    /** The link to keep. */
    public enum Survivor {
        EXISTING,
        CANDIDATE
    }

    /**
     * @param existing direction, seen from {@code local}, of the link already registered
     * @param candidate direction, seen from {@code local}, of the link that just authenticated
     */
    public static Survivor survivor(NodeId local, NodeId remote, Direction existing, Direction candidate) {
        if (existing == candidate) {
            return Survivor.CANDIDATE;
        }
        Direction preferred = preferredDirection(local, remote);
        return candidate == preferred ? Survivor.CANDIDATE : Survivor.EXISTING;
    }

    /** The direction, seen from {@code local}, of the link that wins a simultaneous open. */
    public static Direction preferredDirection(NodeId local, NodeId remote) {
        int c = local.compareTo(remote);
        if (c == 0) {
            throw new IllegalArgumentException("local and remote: same id " + local + " (expected: distinct)");
        }
        return c < 0 ? Direction.OUTBOUND : Direction.INBOUND;
    }
}
