package io.peerlink.protocol.handshake;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.protocol.pex.AddressRecords;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the handshake proved about the other side.
 *
 * <pre>{@code
 * if (step instanceof Step.Accept a) register(a.peer().id(), a.peer().role());
 * }</pre>
 *
 * @param id the authenticated node id
 * @param role its role according to the trust registry
 * @param listenAddress the address it advertised, if any
 * @param record its own signed address record from its Identify, verified, if it sent one
 * @param incarnation the boot incarnation it signed (unsigned; 0 if it sent none)
 * @param linkId the link id both ends derive from this handshake ({@link Transcript#linkId})
 */
public record PeerInfo(
        NodeId id,
        Role role,
        @Nullable PeerAddress listenAddress,
        AddressRecords.@Nullable Verified record,
        long incarnation,
        String linkId) {
    public PeerInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(linkId, "linkId");
        if (record != null && !record.id().equals(id)) {
            throw new IllegalArgumentException("record of " + record.id() + " for peer " + id);
        }
    }

    /** Without a record, an incarnation or a link id (tests). */
    public PeerInfo(NodeId id, Role role, @Nullable PeerAddress listenAddress) {
        this(id, role, listenAddress, null, 0, "");
    }
}
