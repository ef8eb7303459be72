package io.peerlink.core.identity;

import io.peerlink.core.NodeId;
import java.security.SecureRandom;

/**
 * A node's Ed25519 key pair and the {@link NodeId} derived from it.
 *
 * <pre>{@code
 * NodeIdentity me = KeyFiles.load(Path.of("node.key"));
 * byte[] sig = me.sign(bytes);
 * }</pre>
 */
public final class NodeIdentity implements Signer {
    private final byte[] privateKey;
    private final byte[] publicKey;
    private final NodeId id;

    private NodeIdentity(byte[] privateKey) {
        this.privateKey = privateKey;
        this.publicKey = Ed25519.publicKey(privateKey);
        this.id = NodeId.fromPublicKey(publicKey);
    }

    /** A fresh identity from a secure random source. */
    public static NodeIdentity generate() {
        return new NodeIdentity(Ed25519.generatePrivateKey(new SecureRandom()));
    }

    /** The identity of a raw 32-byte Ed25519 private key (copied). */
    public static NodeIdentity fromPrivateKey(byte[] privateKey) {
        if (privateKey.length != Ed25519.PRIVATE_KEY_BYTES) {
            throw new IllegalArgumentException("private key: " + privateKey.length + " bytes (expected: 32)");
        }
        return new NodeIdentity(privateKey.clone());
    }

    public NodeId id() {
        return id;
    }

    /** A copy of the raw 32-byte public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** A copy of the raw 32-byte private key; only for writing the key file. */
    byte[] privateKey() {
        return privateKey.clone();
    }

    @Override
    public byte[] sign(byte[] message) {
        return Ed25519.sign(privateKey, publicKey, message);
    }

    @Override
    public String toString() {
        return "NodeIdentity[" + id + "]";
    }
}
