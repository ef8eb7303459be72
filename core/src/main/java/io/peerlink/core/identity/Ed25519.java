package io.peerlink.core.identity;

import java.security.SecureRandom;

/**
 * Ed25519 primitives on BouncyCastle's RFC 8032 implementation, allocation-light and thread-safe.
 *
 * <pre>{@code
 * byte[] sk = Ed25519.generatePrivateKey(random);
 * byte[] pk = Ed25519.publicKey(sk);
 * byte[] sig = Ed25519.sign(sk, msg);
 * boolean ok = Ed25519.verify(pk, msg, sig);
 * }</pre>
 */
public final class Ed25519 {
    public static final int PUBLIC_KEY_BYTES = org.bouncycastle.math.ec.rfc8032.Ed25519.PUBLIC_KEY_SIZE;
    public static final int PRIVATE_KEY_BYTES = org.bouncycastle.math.ec.rfc8032.Ed25519.SECRET_KEY_SIZE;
    public static final int SIGNATURE_BYTES = org.bouncycastle.math.ec.rfc8032.Ed25519.SIGNATURE_SIZE;

    private Ed25519() {}

    public static byte[] generatePrivateKey(SecureRandom random) {
        byte[] sk = new byte[PRIVATE_KEY_BYTES];
        org.bouncycastle.math.ec.rfc8032.Ed25519.generatePrivateKey(random, sk);
        return sk;
    }

    public static byte[] publicKey(byte[] privateKey) {
        checkLength("private key", privateKey, PRIVATE_KEY_BYTES);
        byte[] pk = new byte[PUBLIC_KEY_BYTES];
        org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(privateKey, 0, pk, 0);
        return pk;
    }

    public static byte[] sign(byte[] privateKey, byte[] message) {
        byte[] sig = new byte[SIGNATURE_BYTES];
        org.bouncycastle.math.ec.rfc8032.Ed25519.sign(privateKey, 0, message, 0, message.length, sig, 0);
        return sig;
    }

    /** Signs with a known public key, which saves BouncyCastle re-deriving it from the private key (about a third). */
    public static byte[] sign(byte[] privateKey, byte[] publicKey, byte[] message) {
        byte[] sig = new byte[SIGNATURE_BYTES];
        org.bouncycastle.math.ec.rfc8032.Ed25519.sign(privateKey, 0, publicKey, 0, message, 0, message.length, sig, 0);
        return sig;
    }

    /** Never throws on malformed input: a key or signature of the wrong length simply does not verify. */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey.length != PUBLIC_KEY_BYTES || signature.length != SIGNATURE_BYTES) {
            return false;
        }
        try {
            return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(
                    signature, 0, publicKey, 0, message, 0, message.length);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void checkLength(String what, byte[] b, int expected) {
        if (b.length != expected) {
            throw new IllegalArgumentException(what + ": " + b.length + " bytes (expected: " + expected + ")");
        }
    }
}
