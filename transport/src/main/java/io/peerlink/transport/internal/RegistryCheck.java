package io.peerlink.transport.internal;

import io.peerlink.core.HandshakeException;
import io.peerlink.core.NodeId;
import io.peerlink.protocol.handshake.Admission;
import io.peerlink.transport.internal.tls.CertificateRefusedException;
import io.peerlink.transport.internal.tls.PeerCheck;
import java.util.Objects;

/**
 * The TLS layer's check of the identity a peer certificate is bound to: it must be in the trust registry (and not
 * revoked), as {@link Admission#trusted} says.
 *
 * <pre>{@code
 * TlsContexts.create(identity, new RegistryCheck(admission), TlsProvider.AUTO);
 * }</pre>
 */
public final class RegistryCheck implements PeerCheck {
    private final Admission admission;

    public RegistryCheck(Admission admission) {
        this.admission = Objects.requireNonNull(admission, "admission");
    }

    @Override
    public void check(NodeId id) throws CertificateRefusedException {
        try {
            admission.trusted(id);
        } catch (HandshakeException e) {
            throw new CertificateRefusedException(e.reason(), e.detail());
        }
    }
}
