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
 * "peerlink/v4/handshake" 0x00
 * purpose            1 byte: 0x01 initiator's proof, 0x02 responder's proof
 * initiator challenge  u8 length + bytes
 * responder challenge  u8 length + bytes
 * initiator node id    20 bytes
 * responder node id    20 bytes
 * initiator role       1 byte (wire enum value)
 * responder role       1 byte
 * initiator listen address  u8 length + UTF-8
 * responder listen address  u8 length + UTF-8
 * initiator incarnation     8 bytes, big-endian (unsigned)
 * responder incarnation     8 bytes
 * channel binding      u8 length + bytes: empty in plaintext; over TLS, {@link #tlsBinding} (64 bytes)
 * </pre>
 *
 * The purpose byte stops a proof made as responder from being reflected as an initiator's proof; the two
 * challenges stop replay; the two ids stop relay to a third node; over TLS the channel binding (the SHA-256 of the
 * initiator's certificate, then of the responder's) stops a proof from being moved to another TLS session; the
 * incarnations stop anyone from presenting a node as restarted (or not) but the node itself.
 *
 * <p>{@link #linkId} names the link: both ends hash the same transcript fields, so they log the same value.
 */
public final class Transcript {
    public static final byte[] LABEL = "peerlink/v4/handshake\0".getBytes(StandardCharsets.US_ASCII);
    public static final byte INITIATOR_PROOF = 0x01;
    public static final byte RESPONDER_PROOF = 0x02;
    /** The purpose byte of the bytes hashed into {@link #linkId}; never signed. */
    static final byte LINK_ID = 0x00;
    /** Length of {@link #linkId} in bytes (it is shown as twice as many hex digits). */
    public static final int LINK_ID_BYTES = 8;

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
            long initiatorIncarnation,
            long responderIncarnation,
            byte[] channelBinding) {

        /** Without incarnations (both 0, "unknown"): for tools and tests that do not care about restarts. */
        public Parties(
                byte[] initiatorChallenge,
                byte[] responderChallenge,
                NodeId initiator,
                NodeId responder,
                int initiatorRole,
                int responderRole,
                String initiatorAddress,
                String responderAddress,
                byte[] channelBinding) {
            this(
                    initiatorChallenge,
                    responderChallenge,
                    initiator,
                    responder,
                    initiatorRole,
                    responderRole,
                    initiatorAddress,
                    responderAddress,
                    0,
                    0,
                    channelBinding);
        }
    }

    /**
     * The link id both ends derive from a handshake: the first {@value #LINK_ID_BYTES} bytes, in lower-case hex, of
     * SHA-256 over the transcript with purpose byte 0x00 (both challenges, both ids, roles, addresses, incarnations
     * and the channel binding). Not a secret and not signed: it only lets two logs be joined.
     */
    public static String linkId(Parties p) {
        byte[] digest = sha256(bytes(LINK_ID, p));
        StringBuilder hex = new StringBuilder(2 * LINK_ID_BYTES);
        for (int i = 0; i < LINK_ID_BYTES; i++) {
            hex.append(Character.forDigit((digest[i] >> 4) & 0xf, 16)).append(Character.forDigit(digest[i] & 0xf, 16));
        }
        return hex.toString();
    }

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
        writeLong(out, p.initiatorIncarnation());
        writeLong(out, p.responderIncarnation());
        withLength(out, p.channelBinding());
        return out.toByteArray();
    }

    private static void writeLong(ByteArrayOutputStream out, long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (v >>> shift) & 0xff);
        }
    }

    private static void withLength(ByteArrayOutputStream out, byte[] b) {
        if (b.length > 255) {
            throw new IllegalArgumentException("transcript field: " + b.length + " bytes (expected: <= 255)");
        }
        out.write(b.length);
        out.writeBytes(b);
    }
}
