package io.peerlink.transport.internal.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts a peer certificate if it is a single self-signed certificate over an Ed25519 key, valid now. Whether that
 * key belongs to a trusted node is decided by the peerlink handshake, which refuses an Identify whose public key is
 * not the certificate's key. There is no CA: the trust registry is the authority.
 */
final class IdentityTrustManager extends X509ExtendedTrustManager {
    static final IdentityTrustManager INSTANCE = new IdentityTrustManager();

    private static void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length != 1) {
            throw new CertificateException("expected exactly one self-signed identity certificate");
        }
        X509Certificate cert = chain[0];
        if (Ed25519Keys.raw(cert.getPublicKey()) == null) {
            throw new CertificateException("certificate key is not Ed25519");
        }
        cert.checkValidity();
        try {
            cert.verify(cert.getPublicKey());
        } catch (Exception e) {
            throw new CertificateException("certificate is not self-signed by its key", e);
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
