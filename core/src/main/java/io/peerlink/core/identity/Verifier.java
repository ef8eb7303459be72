package io.peerlink.core.identity;

/**
 * Port through which the handshake verifies a peer's signature.
 *
 * <pre>{@code
 * boolean ok = Verifier.ED25519.verify(publicKey, transcript, signature);
 * }</pre>
 */
@FunctionalInterface
public interface Verifier {
    /** Ed25519 with BouncyCastle. */
    Verifier ED25519 = Ed25519::verify;

    /** Whether {@code signature} is a valid signature of {@code message} under the raw {@code publicKey}. */
    boolean verify(byte[] publicKey, byte[] message, byte[] signature);
}
