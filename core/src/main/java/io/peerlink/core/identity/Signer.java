package io.peerlink.core.identity;

/**
 * Port through which the handshake signs; the default is {@link NodeIdentity} with BouncyCastle Ed25519.
 *
 * <pre>{@code
 * byte[] sig = signer.sign(transcript);
 * }</pre>
 */
@FunctionalInterface
public interface Signer {
    /** Signs {@code message} (64-byte Ed25519 signature). Thread-safe. */
    byte[] sign(byte[] message);
}
