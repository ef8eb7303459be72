package io.peerlink.transport.internal.tls;

import io.peerlink.core.identity.NodeIdentity;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;

/**
 * The TLS key and self-signed certificate of one run of a node: a fresh ECDSA P-256 key made at start, held in
 * memory only, and bound to the node's Ed25519 identity by an {@link IdentityBinding} extension. BoringSSL and the
 * JDK both sign TLS 1.3 handshakes with P-256; neither pays for Ed25519 inside TLS.
 *
 * <pre>{@code
 * IdentityCertificate cert = IdentityCertificate.of(identity);
 * SslContextBuilder.forServer(cert.privateKey(), cert.certificate());
 * }</pre>
 */
public record IdentityCertificate(PrivateKey privateKey, X509Certificate certificate) {
    private static final Duration VALIDITY = Duration.ofDays(3650);
    private static final Duration CLOCK_SKEW = Duration.ofDays(1);

    /** A fresh P-256 key and a certificate whose extension the identity signs over that key. */
    public static IdentityCertificate of(NodeIdentity identity) {
        KeyPair tls = newTlsKey();
        byte[] extension = IdentityBinding.sign(
                identity, identity.publicKey(), tls.getPublic().getEncoded());
        return selfSigned(tls, extension);
    }

    /** A fresh ECDSA P-256 key pair. */
    public static KeyPair newTlsKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make P-256 keys: " + e, e);
        }
    }

    /**
     * A certificate over {@code tls}, self-signed with it, carrying {@code bindingExtension} as the
     * {@link IdentityBinding#OID} extension (none if null). {@link #of} is the honest use; tests forge with it.
     */
    public static IdentityCertificate selfSigned(KeyPair tls, byte @Nullable [] bindingExtension) {
        try {
            X500Name name = new X500Name("CN=peerlink");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    name,
                    new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(CLOCK_SKEW)),
                    Date.from(now.plus(VALIDITY)),
                    name,
                    tls.getPublic());
            if (bindingExtension != null) {
                builder.addExtension(IdentityBinding.OID, false, bindingExtension);
            }
            X509CertificateHolder holder =
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(tls.getPrivate()));
            return new IdentityCertificate(tls.getPrivate(), new JcaX509CertificateConverter().getCertificate(holder));
        } catch (OperatorCreationException | IOException | CertificateException e) {
            throw new IllegalStateException("cannot make the TLS certificate: " + e, e);
        }
    }

    /** The certificate's DER encoding, as the TLS handshake sends it. */
    public byte[] encoded() {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
