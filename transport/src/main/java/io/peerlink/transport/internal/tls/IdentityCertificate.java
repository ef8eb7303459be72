package io.peerlink.transport.internal.tls;

import io.peerlink.core.identity.KeyFiles;
import io.peerlink.core.identity.NodeIdentity;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * A self-signed X.509 certificate made at start from the node's own Ed25519 identity key, so that TLS
 * authenticates the same key the peerlink handshake proves. The subject names the node id; nobody checks it: the
 * key is what counts.
 *
 * <pre>{@code
 * IdentityCertificate cert = IdentityCertificate.of(identity);
 * SslContextBuilder.forServer(cert.privateKey(), cert.certificate());
 * }</pre>
 */
public record IdentityCertificate(PrivateKey privateKey, X509Certificate certificate) {
    private static final Duration VALIDITY = Duration.ofDays(3650);

    public static IdentityCertificate of(NodeIdentity identity) {
        try {
            PrivateKey key = privateKey(identity);
            java.security.PublicKey publicKey = KeyFactory.getInstance("Ed25519").generatePublic(
                    new java.security.spec.X509EncodedKeySpec(Ed25519Keys.spki(identity.publicKey())));
            X500Name name = new X500Name("CN=" + identity.id());
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(VALIDITY)), name, publicKey);
            X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("Ed25519").build(key));
            return new IdentityCertificate(key, new JcaX509CertificateConverter().getCertificate(holder));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a TLS certificate from the node key: " + e, e);
        }
    }

    private static PrivateKey privateKey(NodeIdentity identity) throws Exception {
        try (PemReader reader = new PemReader(new java.io.StringReader(KeyFiles.toPem(identity)))) {
            byte[] pkcs8 = reader.readPemObject().getContent();
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        }
    }
}
