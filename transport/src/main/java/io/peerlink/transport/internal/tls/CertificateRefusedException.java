package io.peerlink.transport.internal.tls;

import io.peerlink.core.DisconnectReason;
import java.security.cert.CertificateException;
import java.util.Objects;

/**
 * A peer certificate refused by the {@link IdentityTrustManager}, with the reason the node reports for it (the TLS
 * handshake fails, so no {@code Disconnect} frame can carry it; the peer sees a TLS alert).
 *
 * <pre>{@code
 * throw new CertificateRefusedException(DisconnectReason.UNKNOWN_PEER, "node pl12.. is not in the trust registry");
 * }</pre>
 */
public final class CertificateRefusedException extends CertificateException {
    private static final long serialVersionUID = 1L;

    private final DisconnectReason reason;

    public CertificateRefusedException(DisconnectReason reason, String detail) {
        super(detail);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public DisconnectReason reason() {
        return reason;
    }

    /** Stackless: a refused stranger is routine, not a bug. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
