package io.peerlink.protocol.handshake;

import io.peerlink.core.NodeId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The exact bytes each side signs (docs/protocol.md, "Signed bytes"):
 *
 * <pre>
 * "peerlink/v1/handshake" 0x00
 * purpose            1 byte: 0x01 initiator's proof, 0x02 responder's proof
 * initiator challenge  u8 length + bytes
 * responder challenge  u8 length + bytes
 * initiator node id    20 bytes
 * responder node id    20 bytes
 * initiator role       1 byte (wire enum value)
 * responder role       1 byte
 * initiator listen address  u8 length + UTF-8
 * responder listen address  u8 length + UTF-8
 * channel binding      u8 length + bytes: empty in plaintext; over TLS, {@link #tlsBinding} (64 bytes)
 * </pre>
 *
 * The purpose byte stops a proof made as responder from being reflected as an initiator's proof; the two
 * challenges stop replay; the two ids stop relay to a third node; over TLS the channel binding (the SHA-256 of the
 * initiator's certificate, then of the responder's) stops a proof from being moved to another TLS session.
 */
public final class Transcript {
    public static final byte[] LABEL = "peerlink/v1/handshake\0".getBytes(StandardCharsets.US_ASCII);
    public static final byte INITIATOR_PROOF = 0x01;
    public static final byte RESPONDER_PROOF = 0x02;

    /** Length of {@link #tlsBinding}: two SHA-256 digests. */
    public static final int TLS_BINDING_BYTES = 64;

    private Transcript() {}

    /**
     * The channel binding of a TLS link: SHA-256(initiator's certificate, DER) followed by SHA-256(responder's
     * certificate, DER). Both ends order the two certificates by role, so both compute the same bytes.
     */
    public static byte[] tlsBinding(byte[] initiatorCertificate, byte[] responderCertificate) {
        byte[] out = new byte[TLS_BINDING_BYTES];
        System.arraycopy(sha256(initiatorCertificate), 0, out, 0, 32);
        System.arraycopy(sha256(responderCertificate), 0, out, 32, 32);
        return out;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Both sides' identify fields, in initiator/responder order. */
    public record Parties(
            byte[] initiatorChallenge,
            byte[] responderChallenge,
            NodeId initiator,
            NodeId responder,
            int initiatorRole,
            int responderRole,
            String initiatorAddress,
            String responderAddress,
            byte[] channelBinding) {}

    public static byte[] bytes(byte purpose, Parties p) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(192);
        out.writeBytes(LABEL);
        out.write(purpose);
        withLength(out, p.initiatorChallenge());
        withLength(out, p.responderChallenge());
        out.writeBytes(p.initiator().toBytes());
        out.writeBytes(p.responder().toBytes());
        out.write(p.initiatorRole());
        out.write(p.responderRole());
        withLength(out, p.initiatorAddress().getBytes(StandardCharsets.UTF_8));
        withLength(out, p.responderAddress().getBytes(StandardCharsets.UTF_8));
        withLength(out, p.channelBinding());
        return out.toByteArray();
    }

    private static void withLength(ByteArrayOutputStream out, byte[] b) {
        if (b.length > 255) {
            throw new IllegalArgumentException("transcript field: " + b.length + " bytes (expected: <= 255)");
        }
        out.write(b.length);
        out.writeBytes(b);
    }
}
