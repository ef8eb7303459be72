package io.peerlink.sim;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * One fault of a run's schedule: what, when (virtual milliseconds), for how long, and on which nodes.
 *
 * @param nodes the nodes it hits (the one side of a partition, the killed or slowed node, the revoked node; for a
 *     dual dial: the dialing node, then the target validator)
 * @param amount the fault's size where it has one: extra latency in ms (slow), loss in per mille (loss)
 */
public record Fault(Kind kind, long atMillis, long durationMillis, List<Integer> nodes, int amount) {

    /** The kinds of fault. */
    public enum Kind {
        /** The nodes can reach each other but not the rest, either way. */
        PARTITION,
        /** Packets from the nodes to the rest are dropped; the other way works. */
        ONE_WAY,
        /** kill -9, then a restart with the same key after the duration. */
        KILL,
        /** Killed and restarted several times in quick succession. */
        FLAP,
        /** Every message to or from the node is delayed by {@code amount} ms. */
        SLOW,
        /** {@code amount} per mille of all messages are lost once (TCP retransmits them after a timeout). */
        LOSS,
        /** The node is removed from the trust file, and put back after the duration. */
        REVOKE,
        /** An operator asks the node to connect to a validator under both of its addresses at once. */
        DUAL_DIAL;

        public String text() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public Fault {
        requireNonNull(kind, "kind");
        nodes = List.copyOf(nodes);
    }

    public long endMillis() {
        return atMillis + durationMillis;
    }

    @Override
    public String toString() {
        return kind.text() + "@" + atMillis + "ms+" + durationMillis + "ms" + nodes + (amount != 0 ? "x" + amount : "");
    }
}
