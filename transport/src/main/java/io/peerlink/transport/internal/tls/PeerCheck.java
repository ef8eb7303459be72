package io.peerlink.transport.internal.tls;

import io.peerlink.core.NodeId;

/**
 * Decides, inside the TLS handshake, whether the node id a peer certificate is bound to may link at all (the trust
 * registry); a refused id never gets to send an application frame.
 *
 * <pre>{@code
 * PeerCheck check = id -> {
 *     if (trust.roleOf(id).isEmpty()) {
 *         throw new CertificateRefusedException(DisconnectReason.UNKNOWN_PEER, id + " is not trusted");
 *     }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface PeerCheck {
    /** Accepts everyone whose binding verifies; the peerlink handshake still checks the registry. */
    PeerCheck ANY = id -> {};

    /** Returns if {@code id} may link, throws otherwise. Runs on the channel's event loop: it must be cheap. */
    void check(NodeId id) throws CertificateRefusedException;
}
