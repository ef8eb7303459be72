package io.peerlink.protocol.handshake;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
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
 */
public record PeerInfo(NodeId id, Role role, @Nullable PeerAddress listenAddress) {
    public PeerInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
    }
}
