package io.peerlink.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A self-certifying node id: the first 20 bytes of SHA-256 over the node's raw 32-byte Ed25519 public key.
 *
 * <p>Its one text form, used in logs, config, the trust file and admin output, is {@code "pl"} followed by 40
 * lower-case hex digits. Ids are ordered by unsigned byte comparison; the tie-break between simultaneous
 * connections relies on that order.
 *
 * <pre>{@code
 * NodeId id = NodeId.parse("pl3f1c...");   // throws IllegalArgumentException with a clear message
 * NodeId derived = NodeId.fromPublicKey(publicKeyBytes);
 * }</pre>
 */
public final class NodeId implements Comparable<NodeId> {
    /** Length of a node id in bytes. */
    public static final int LENGTH_BYTES = 20;
    /** Prefix of the text form. */
    public static final String PREFIX = "pl";

    private static final HexFormat HEX = HexFormat.of();
    /** One digest per thread: {@code MessageDigest.getInstance} walks the provider list on every call. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    });

    private final byte[] bytes;
    private final int hash;

    private NodeId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** Wraps (a copy of) 20 raw id bytes. */
    public static NodeId of(byte[] bytes) {
        if (bytes.length != LENGTH_BYTES) {
            throw new IllegalArgumentException("node id: " + bytes.length + " bytes (expected: " + LENGTH_BYTES + ")");
        }
        return new NodeId(bytes.clone());
    }

    /** Derives the id of a raw 32-byte Ed25519 public key. */
    public static NodeId fromPublicKey(byte[] publicKey) {
        if (publicKey.length != 32) {
            throw new IllegalArgumentException("public key: " + publicKey.length + " bytes (expected: 32)");
        }
        byte[] digest = SHA_256.get().digest(publicKey); // digest() resets it for the next use
        return new NodeId(Arrays.copyOf(digest, LENGTH_BYTES));
    }

    /**
     * Parses the text form. Upper-case hex is accepted; the canonical form is lower case.
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public static NodeId parse(String text) {
        String t = text.strip();
        if (!t.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new IllegalArgumentException(
                    "invalid node id '" + text + "': must start with '" + PREFIX + "' followed by 40 hex digits");
        }
        String hex = t.substring(PREFIX.length());
        if (hex.length() != LENGTH_BYTES * 2) {
            throw new IllegalArgumentException("invalid node id '" + text + "': " + hex.length() + " hex digits after '"
                    + PREFIX + "' (expected: " + LENGTH_BYTES * 2 + ")");
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            // ASCII only: Character.digit also accepts e.g. Arabic-Indic or full-width digits
            if (c >= 128 || Character.digit(c, 16) < 0) {
                throw new IllegalArgumentException("invalid node id '" + text + "': '" + c + "' is not a hex digit");
            }
        }
        return new NodeId(HEX.parseHex(hex.toLowerCase(java.util.Locale.ROOT)));
    }

    /** A copy of the 20 raw bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Whether {@code other} holds the same bytes, without copying. */
    public boolean matches(byte[] other) {
        return Arrays.equals(bytes, other);
    }

    /** A short form for log lines: the prefix and the first 8 hex digits. */
    public String shortString() {
        return PREFIX + HEX.formatHex(bytes, 0, 4);
    }

    @Override
    public int compareTo(NodeId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** The canonical text form. */
    @Override
    public String toString() {
        return PREFIX + HEX.formatHex(bytes);
    }
}
