package io.peerlink.transport.internal.tls;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts a peer certificate if it is a single certificate, valid now, over an ECDSA P-256 key whose
 * {@link IdentityBinding} verifies, bound to this node's own id (refused later, with a clear reason, by the
 * handshake) or to an id the {@link PeerCheck} admits. There is no CA: the trust registry is the authority.
 *
 * <p>The certificate's self-signature is not checked: it proves nothing the TLS handshake's CertificateVerify (the
 * peer holds the key) and the binding (the identity speaks for that key) do not already prove, and would cost a
 * second ECDSA verification per handshake.
 *
 * <p>A binding verified once is remembered by the certificate's SHA-256 ({@link BindingCache}): later links from
 * the same run of a peer skip the Ed25519 verification and the certificate parsing. The validity period and the
 * {@link PeerCheck} are checked on every handshake.
 *
 * <pre>{@code
 * new IdentityTrustManager(identity.id(), check);
 * }</pre>
 */
final class IdentityTrustManager extends X509ExtendedTrustManager {
    private final NodeId self;
    private final PeerCheck check;
    private final BindingCache cache;

    IdentityTrustManager(NodeId self, PeerCheck check) {
        this(self, check, new BindingCache());
    }

    IdentityTrustManager(NodeId self, PeerCheck check, BindingCache cache) {
        this.self = Objects.requireNonNull(self, "self");
        this.check = Objects.requireNonNull(check, "check");
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length != 1) {
            throw new CertificateRefusedException(
                    DisconnectReason.TLS_REQUIRED,
                    "expected exactly one identity certificate, got " + (chain == null ? 0 : chain.length));
        }
        X509Certificate cert = chain[0];
        byte[] der = BindingCache.encoded(cert);
        byte[] digest = der == null ? null : BindingCache.sha256(der);
        IdentityBinding.Bound bound = digest == null ? null : cache.get(digest, System.currentTimeMillis());
        boolean verifiedNow = bound == null;
        if (bound == null) {
            cert.checkValidity();
            bound = IdentityBinding.verify(cert);
        }
        NodeId id = bound.id();
        if (!id.equals(self)) {
            check.check(id);
        }
        if (verifiedNow && digest != null) {
            cache.put(digest, cert, bound); // only once admitted: a stranger cannot fill the cache
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
