package io.peerlink.protocol.handshake;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.identity.Signer;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * This node as the handshake presents it.
 *
 * <pre>{@code
 * LocalPeer me = LocalPeer.of(identity, Role.VALIDATOR, PeerAddress.parse("10.0.0.1:7000"));
 * }</pre>
 */
public record LocalPeer(NodeId id, byte[] publicKey, Role role, @Nullable PeerAddress advertise, Signer signer) {
    public LocalPeer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(signer, "signer");
    }

    public static LocalPeer of(NodeIdentity identity, Role role, @Nullable PeerAddress advertise) {
        return new LocalPeer(identity.id(), identity.publicKey(), role, advertise, identity);
    }

    /** The advertised address as sent in Identify (empty if none). */
    String advertiseText() {
        return advertise == null ? "" : advertise.toString();
    }
}
