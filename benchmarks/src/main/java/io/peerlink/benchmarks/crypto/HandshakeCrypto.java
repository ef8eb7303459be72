package io.peerlink.benchmarks.crypto;

import io.peerlink.core.identity.Ed25519;
import java.util.Objects;

/**
 * The signature work of one mutual handshake and nothing else: each side signs its transcript and verifies the
 * other's, so 2 signs and 2 verifies through {@link Ed25519}, with the same variants the node uses: a sign with the
 * known public key (as {@code NodeIdentity.sign} does) and a verify from the raw public key bytes of the peer's
 * Identify.
 *
 * <pre>{@code
 * HandshakeCrypto crypto = new HandshakeCrypto(initiatorKey, responderKey, initiatorTranscript, responderTranscript);
 * boolean ok = crypto.run();   // true unless a signature failed to verify
 * }</pre>
 */
public final class HandshakeCrypto {
    private final byte[] initiatorPrivateKey;
    private final byte[] responderPrivateKey;
    private final byte[] initiatorPublicKey;
    private final byte[] responderPublicKey;
    private final byte[] initiatorTranscript;
    private final byte[] responderTranscript;

    /** Keys are raw 32-byte Ed25519 private keys; transcripts are the bytes each side signs. */
    public HandshakeCrypto(
            byte[] initiatorPrivateKey,
            byte[] responderPrivateKey,
            byte[] initiatorTranscript,
            byte[] responderTranscript) {
        this.initiatorPrivateKey = Objects.requireNonNull(initiatorPrivateKey, "initiatorPrivateKey")
                .clone();
        this.responderPrivateKey = Objects.requireNonNull(responderPrivateKey, "responderPrivateKey")
                .clone();
        this.initiatorPublicKey = Ed25519.publicKey(initiatorPrivateKey);
        this.responderPublicKey = Ed25519.publicKey(responderPrivateKey);
        this.initiatorTranscript = Objects.requireNonNull(initiatorTranscript, "initiatorTranscript")
                .clone();
        this.responderTranscript = Objects.requireNonNull(responderTranscript, "responderTranscript")
                .clone();
    }

    /** Responder signs, initiator verifies, initiator signs, responder verifies (the handshake's order). */
    public boolean run() {
        byte[] responderProof = Ed25519.sign(responderPrivateKey, responderPublicKey, responderTranscript);
        boolean ok = Ed25519.verify(responderPublicKey, responderTranscript, responderProof);
        byte[] initiatorProof = Ed25519.sign(initiatorPrivateKey, initiatorPublicKey, initiatorTranscript);
        return Ed25519.verify(initiatorPublicKey, initiatorTranscript, initiatorProof) & ok;
    }
}
