package io.peerlink.protocol.dial;

import static java.util.Objects.requireNonNull;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.protocol.handshake.LinkPolicy;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Whether to dial a target: never this node itself (by id or by its own advertised address), never a peer that is
 * connected or being dialed, and only links the {@link LinkPolicy} allows (everyone dials validators only).
 *
 * <pre>{@code
 * DialTargets targets = new DialTargets(me.id(), Role.VALIDATOR, advertise);
 * if (targets.decide(address, id, role, links).dial()) connect(address, id);
 * }</pre>
 *
 * @param self this node's id
 * @param selfRole this node's role
 * @param ownAddress the address this node advertises, if any
 */
public record DialTargets(
        NodeId self, Role selfRole, @Nullable PeerAddress ownAddress) {

    public DialTargets {
        requireNonNull(self, "self");
        requireNonNull(selfRole, "selfRole");
    }

    /** The outcome; only {@link #DIAL} means dial. */
    public enum Verdict {
        DIAL,
        /** The target id is this node's. */
        SELF,
        /** The target address is the one this node advertises. */
        OWN_ADDRESS,
        /** A link to the target id exists (or, when only the address is known, a link to that address). */
        CONNECTED,
        /** A dial to the target id or address is under way. */
        IN_FLIGHT,
        /** The link policy forbids this node to dial a node of the target's role. */
        ROLE_NOT_ALLOWED;

        public boolean dial() {
            return this == DIAL;
        }
    }

    /** What this node is connected to and dialing; implemented by the node, or {@link #of} in tests. */
    public interface Links {
        boolean connected(NodeId id);

        /** Whether a link exists to a peer that listens at, or was dialed at, {@code address}. */
        boolean connected(PeerAddress address);

        boolean dialing(NodeId id);

        boolean dialing(PeerAddress address);

        /** Links from sets (copied), with no link known by address. */
        static Links of(Set<NodeId> connected, Set<NodeId> dialingIds, Set<PeerAddress> dialingAddresses) {
            return of(connected, Set.of(), dialingIds, dialingAddresses);
        }

        /** Links from sets (copied). */
        static Links of(
                Set<NodeId> connected,
                Set<PeerAddress> connectedAddresses,
                Set<NodeId> dialingIds,
                Set<PeerAddress> dialingAddresses) {
            Set<NodeId> c = Set.copyOf(connected);
            Set<PeerAddress> ca = Set.copyOf(connectedAddresses);
            Set<NodeId> d = Set.copyOf(dialingIds);
            Set<PeerAddress> a = Set.copyOf(dialingAddresses);
            return new Links() {
                @Override
                public boolean connected(NodeId id) {
                    return c.contains(id);
                }

                @Override
                public boolean connected(PeerAddress address) {
                    return ca.contains(address);
                }

                @Override
                public boolean dialing(NodeId id) {
                    return d.contains(id);
                }

                @Override
                public boolean dialing(PeerAddress address) {
                    return a.contains(address);
                }
            };
        }

        /** Nothing connected, nothing dialing. */
        static Links none() {
            return of(Set.of(), Set.of(), Set.of());
        }
    }

    /**
     * Decides about one target.
     *
     * @param address where the target listens
     * @param id the target's node id, if known (a seed address may have none)
     * @param role the target's role from the trust registry, if known; an unknown role is left to the handshake
     */
    public Verdict decide(PeerAddress address, @Nullable NodeId id, @Nullable Role role, Links links) {
        requireNonNull(address, "address");
        requireNonNull(links, "links");
        if (id != null && self.equals(id)) {
            return Verdict.SELF;
        }
        if (address.equals(ownAddress)) {
            return Verdict.OWN_ADDRESS;
        }
        if (id != null ? links.connected(id) : links.connected(address)) {
            return Verdict.CONNECTED;
        }
        if ((id != null && links.dialing(id)) || links.dialing(address)) {
            return Verdict.IN_FLIGHT;
        }
        if (role != null && !LinkPolicy.mayDial(selfRole, role)) {
            return Verdict.ROLE_NOT_ALLOWED;
        }
        return Verdict.DIAL;
    }
}
