package io.peerlink.transport.testing;

import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.transport.internal.tls.IdentityBinding;
import io.peerlink.transport.internal.tls.IdentityCertificate;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.ASN1OctetString;

/**
 * Honest and forged TLS certificates for attack tests, and JDK client contexts that present them.
 *
 * <pre>{@code
 * IdentityCertificate forged = TlsCertificates.bindingSignedByAnother(victim, mallory);
 * RawClient c = RawClient.connectTls(null, target.boundAddress(), TlsCertificates.client(forged));
 * }</pre>
 */
public final class TlsCertificates {
    private TlsCertificates() {}

    /** A certificate whose extension names {@code claimed}'s identity key but is signed by {@code signer}. */
    public static IdentityCertificate bindingSignedByAnother(NodeIdentity claimed, NodeIdentity signer) {
        var tls = IdentityCertificate.newTlsKey();
        byte[] signature =
                signer.sign(IdentityBinding.signedBytes(tls.getPublic().getEncoded()));
        return IdentityCertificate.selfSigned(tls, IdentityBinding.encode(claimed.publicKey(), signature));
    }

    /** {@code honest}'s valid extension, copied as it is onto a certificate over a fresh TLS key of the attacker. */
    public static IdentityCertificate bindingCopiedOntoAnotherKey(IdentityCertificate honest) {
        byte[] wrapped = honest.certificate().getExtensionValue(IdentityBinding.OID.getId());
        byte[] extension = ASN1OctetString.getInstance(wrapped).getOctets();
        return IdentityCertificate.selfSigned(IdentityCertificate.newTlsKey(), extension);
    }

    /** A TLS 1.3 client context that presents {@code cert} and accepts any server certificate. */
    public static SSLContext client(IdentityCertificate cert) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] pw = "x".toCharArray();
            ks.setKeyEntry("tls", cert.privateKey(), pw, new Certificate[] {cert.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext ctx = SSLContext.getInstance("TLSv1.3");
            ctx.init(kmf.getKeyManagers(), new TrustManager[] {new AnyServer()}, new SecureRandom());
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build a TLS client context: " + e, e);
        }
    }

    private static final class AnyServer implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
