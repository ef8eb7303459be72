package io.peerlink.protocol.handshake;

import io.peerlink.core.config.Defaults;

/**
 * Fixed parameters of the handshake.
 *
 * <pre>{@code
 * HandshakeSettings s = new HandshakeSettings(Defaults.PROTOCOL_VERSION, 32);
 * }</pre>
 *
 * @param protocolVersion this node's protocol version; peers with another version are refused
 * @param challengeBytes length of the challenge this node sends (16..64)
 */
public record HandshakeSettings(int protocolVersion, int challengeBytes) {
    public static final int MIN_CHALLENGE_BYTES = 16;
    public static final int MAX_CHALLENGE_BYTES = 64;
    /** Longest advertised address accepted in Identify, in characters; see {@link #MAX_ADDRESS_BYTES}. */
    public static final int MAX_ADDRESS_CHARS = 255;
    /** Longest advertised address accepted in Identify, in UTF-8 bytes (the transcript stores a u8 length). */
    public static final int MAX_ADDRESS_BYTES = 255;

    public HandshakeSettings {
        if (protocolVersion < 1) {
            throw new IllegalArgumentException("protocolVersion: " + protocolVersion + " (expected: >= 1)");
        }
        if (challengeBytes < MIN_CHALLENGE_BYTES || challengeBytes > MAX_CHALLENGE_BYTES) {
            throw new IllegalArgumentException("challengeBytes: " + challengeBytes + " (expected: 16..64)");
        }
    }

    public static HandshakeSettings defaults() {
        return new HandshakeSettings(Defaults.PROTOCOL_VERSION, Defaults.CHALLENGE_BYTES);
    }
}
