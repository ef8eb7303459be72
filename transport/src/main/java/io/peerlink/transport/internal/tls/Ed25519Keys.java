package io.peerlink.transport.internal.tls;

import java.security.PublicKey;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/** Conversions between raw 32-byte Ed25519 public keys and their X.509 SubjectPublicKeyInfo encoding. */
final class Ed25519Keys {
    /** SubjectPublicKeyInfo prefix for Ed25519 (RFC 8410): SEQUENCE { SEQUENCE { OID 1.3.101.112 } BIT STRING }. */
    private static final byte[] SPKI_PREFIX = {
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
    };

    private Ed25519Keys() {}

    static byte[] spki(byte[] raw) {
        byte[] out = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + raw.length);
        System.arraycopy(raw, 0, out, SPKI_PREFIX.length, raw.length);
        return out;
    }

    /** The raw key of an Ed25519 public key, or null if it is not one. */
    static byte @Nullable [] raw(PublicKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded == null || encoded.length != SPKI_PREFIX.length + 32
                || !Arrays.equals(encoded, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            return null;
        }
        return Arrays.copyOfRange(encoded, SPKI_PREFIX.length, encoded.length);
    }
}
