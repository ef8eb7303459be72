package io.peerlink.transport.internal.tls;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.identity.Ed25519;
import io.peerlink.core.identity.Signer;
import io.peerlink.core.identity.Verifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;

/**
 * The certificate extension that binds a per-start TLS key to a node's Ed25519 identity (the libp2p TLS model):
 *
 * <pre>
 * extension OID 2.25.238915809669835703984292922026488348466   (a UUID OID, ITU-T X.667), not critical
 * SignedKey ::= SEQUENCE {
 *     identityKey  OCTET STRING,   -- the raw 32-byte Ed25519 identity public key
 *     signature    OCTET STRING }  -- Ed25519 by that key over "peerlink-tls-binding:" || SubjectPublicKeyInfo (DER)
 * </pre>
 *
 * The signature covers the certificate's public key, so the extension cannot be moved onto another TLS key, and
 * only the identity's holder can make one. The prefix keeps the signature from ever being a valid handshake proof or
 * address record.
 *
 * <pre>{@code
 * byte[] extension = IdentityBinding.sign(identity, tlsPublicKey.getEncoded());
 * NodeId id = IdentityBinding.verify(certificate).id();   // throws CertificateRefusedException
 * }</pre>
 */
public final class IdentityBinding {
    public static final ASN1ObjectIdentifier OID =
            new ASN1ObjectIdentifier("2.25.238915809669835703984292922026488348466");
    public static final byte[] PREFIX = "peerlink-tls-binding:".getBytes(StandardCharsets.US_ASCII);
    /** DER header of a SubjectPublicKeyInfo of an EC key on P-256 (id-ecPublicKey, prime256v1), uncompressed point. */
    private static final byte[] P256_SPKI_HEADER = {
        0x30,
        0x59,
        0x30,
        0x13,
        0x06,
        0x07,
        0x2a,
        (byte) 0x86,
        0x48,
        (byte) 0xce,
        0x3d,
        0x02,
        0x01,
        0x06,
        0x08,
        0x2a,
        (byte) 0x86,
        0x48,
        (byte) 0xce,
        0x3d,
        0x03,
        0x01,
        0x07,
        0x03,
        0x42,
        0x00,
        0x04
    };

    private static final int P256_SPKI_BYTES = 91;

    /** A verified binding: the identity key the certificate's TLS key speaks for, and its node id. */
    public record Bound(byte[] identityKey, NodeId id) {}

    private IdentityBinding() {}

    /** The bytes the identity signs for the TLS key with this SubjectPublicKeyInfo. */
    public static byte[] signedBytes(byte[] spki) {
        byte[] out = Arrays.copyOf(PREFIX, PREFIX.length + spki.length);
        System.arraycopy(spki, 0, out, PREFIX.length, spki.length);
        return out;
    }

    /** The extension value (DER {@code SignedKey}) binding the TLS key {@code spki} to {@code identity}. */
    public static byte[] sign(Signer identity, byte[] identityKey, byte[] spki) {
        return encode(identityKey, identity.sign(signedBytes(spki)));
    }

    /** A {@code SignedKey} with the given fields, as they are; tests use it to forge bindings. */
    public static byte[] encode(byte[] identityKey, byte[] signature) {
        try {
            return new DERSequence(new ASN1Encodable[] {new DEROctetString(identityKey), new DEROctetString(signature)})
                    .getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Checks that the certificate's key is an ECDSA P-256 key and that its extension is a signature over it by the
     * identity key it names.
     *
     * @throws CertificateRefusedException with {@code TLS_REQUIRED}, {@code MALFORMED_FRAME} or {@code BAD_SIGNATURE}
     */
    public static Bound verify(X509Certificate cert) throws CertificateRefusedException {
        byte[] spki = cert.getPublicKey().getEncoded();
        if (spki == null
                || spki.length != P256_SPKI_BYTES
                || !Arrays.equals(spki, 0, P256_SPKI_HEADER.length, P256_SPKI_HEADER, 0, P256_SPKI_HEADER.length)) {
            throw new CertificateRefusedException(
                    DisconnectReason.TLS_REQUIRED, "certificate key is not an ECDSA P-256 key");
        }
        byte[][] fields = read(cert);
        if (!Verifier.ED25519.verify(fields[0], signedBytes(spki), fields[1])) {
            throw new CertificateRefusedException(
                    DisconnectReason.BAD_SIGNATURE,
                    "the identity binding of " + NodeId.fromPublicKey(fields[0])
                            + " is not signed by that identity over this certificate's key");
        }
        return new Bound(fields[0], NodeId.fromPublicKey(fields[0]));
    }

    /**
     * The identity key a certificate's extension names, without checking its signature: only for a certificate the
     * {@link IdentityTrustManager} has already accepted.
     */
    static byte[] boundKey(X509Certificate cert) throws CertificateRefusedException {
        return read(cert)[0];
    }

    /** {identityKey, signature} from the extension, well-formed, or a refusal. */
    private static byte[][] read(X509Certificate cert) throws CertificateRefusedException {
        byte[] wrapped = cert.getExtensionValue(OID.getId());
        if (wrapped == null) {
            throw new CertificateRefusedException(
                    DisconnectReason.TLS_REQUIRED, "certificate carries no identity binding");
        }
        byte[] identityKey;
        byte[] signature;
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(
                    ASN1OctetString.getInstance(wrapped).getOctets()));
            if (seq.size() != 2) {
                throw new IllegalArgumentException("SignedKey of " + seq.size() + " fields (expected: 2)");
            }
            identityKey = ASN1OctetString.getInstance(seq.getObjectAt(0)).getOctets();
            signature = ASN1OctetString.getInstance(seq.getObjectAt(1)).getOctets();
        } catch (IOException | RuntimeException e) {
            throw new CertificateRefusedException(
                    DisconnectReason.MALFORMED_FRAME, "identity binding is not a SignedKey: " + e.getMessage());
        }
        if (identityKey.length != Ed25519.PUBLIC_KEY_BYTES) {
            throw new CertificateRefusedException(
                    DisconnectReason.MALFORMED_FRAME,
                    "identity key of " + identityKey.length + " bytes (expected: 32)");
        }
        return new byte[][] {identityKey, signature};
    }
}
