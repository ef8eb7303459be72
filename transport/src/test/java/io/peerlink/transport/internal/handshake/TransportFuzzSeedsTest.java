package io.peerlink.transport.internal.handshake;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.Role;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.Identify;
import io.peerlink.proto.v1.Proof;
import io.peerlink.protocol.wire.Wire;
import io.peerlink.transport.testing.Frames;
import io.peerlink.transport.testing.RawPeer;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the seed corpora of {@link HandshakePipelineFuzzTest} and {@code codec.FrameDecoderFuzzTest}. Runs only
 * when asked, e.g. after a change to the transcript or the wire format:
 *
 * <pre>
 * ./mvnw -o -q -B -pl transport -am test -Dtest=TransportFuzzSeedsTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -DargLine.extra=-DseedDir=$PWD/transport/src/test/resources
 * </pre>
 */
@EnabledIfSystemProperty(named = "seedDir", matches = ".+")
class TransportFuzzSeedsTest {
    private final Path root = Path.of(System.getProperty("seedDir", "."), "io", "peerlink", "transport", "internal");

    @Test
    void writeHandshakePipelineSeeds() throws Exception {
        Path dir = root.resolve("handshake/HandshakePipelineFuzzTestInputs/responder");
        Files.createDirectories(dir);
        RawPeer peer = new RawPeer(
                HandshakePipelineFuzzTest.PEER,
                Role.VALIDATOR,
                HandshakePipelineFuzzTest.PEER_ADDRESS,
                HandshakePipelineFuzzTest.filled(32, 0x33));
        Envelope hello = peer.identify();

        // the real responder's answer, to sign the initiator's proof over it
        HandshakeChannel responder =
                HandshakeChannel.of(HandshakePipelineFuzzTest.responderMachine(), Duration.ofSeconds(2));
        responder.receive(hello);
        Identify answer = responder.sent().get(0).getIdentify();
        Envelope proof = peer.initiatorProof(answer);
        responder.receive(proof);
        if (responder.authenticated == null) {
            throw new AssertionError("recorded flight does not authenticate: " + responder.failed);
        }
        responder.channel.finishAndReleaseAll();

        Envelope ping = Frames.ping(1);
        write(dir, "valid_initiator_flight", Frames.encode(hello, proof, ping), 0);
        write(dir, "valid_initiator_flight_small_chunks", Frames.encode(hello, proof), 255);
        byte[] badSignature = proof.getProof().getSignature().toByteArray();
        badSignature[0] ^= 1;
        write(dir, "bad_signature", Frames.encode(hello, RawPeer.proof(badSignature)), 3);
        write(dir, "identify_only", Frames.encode(hello), 1);
        write(dir, "identify_twice", Frames.encode(hello, hello), 2);
        write(dir, "ping_first", Frames.encode(ping, hello), 4);
        write(
                dir,
                "proof_first",
                Frames.encode(Envelope.newBuilder()
                        .setProof(Proof.getDefaultInstance())
                        .build()),
                5);
        write(
                dir,
                "stranger_identify",
                Frames.encode(new RawPeer(HandshakePipelineFuzzTest.STRANGER, Role.VALIDATOR, "").identify()),
                6);
        write(
                dir,
                "wrong_role",
                Frames.encode(RawPeer.wrap(peer.identifyBuilder().setRole(Wire.toWire(Role.OBSERVER)))),
                7);
        write(dir, "unknown_kind", Frames.encode(Envelope.getDefaultInstance()), 8);
        write(dir, "disconnect", Frames.encode(Wire.disconnect(DisconnectReason.SHUTDOWN, "bye")), 9);
        write(dir, "garbage", Frames.frame(new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01, 0x02}), 10);
        write(dir, "oversized_prefix", Frames.varint(1 << 20), 11);
        write(
                dir,
                "sign_bit_prefix",
                concat(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}, new byte[64]),
                12);
    }

    @Test
    void writeFrameDecoderSeeds() throws Exception {
        Path dir = root.resolve("codec/FrameDecoderFuzzTestInputs/decode");
        Files.createDirectories(dir);
        RawPeer peer = new RawPeer(
                HandshakePipelineFuzzTest.PEER,
                Role.VALIDATOR,
                HandshakePipelineFuzzTest.PEER_ADDRESS,
                HandshakePipelineFuzzTest.filled(32, 0x33));
        byte limit1024 = 6; // 16 << 6
        write(dir, "two_envelopes", concat(Frames.encode(Frames.ping(5), peer.identify()), new byte[] {limit1024}), 0);
        write(dir, "exact_limit", concat(Frames.frame(new byte[16]), new byte[] {0}), 1);
        write(dir, "one_over_limit", concat(Frames.frame(new byte[17]), new byte[] {0}), 2);
        write(dir, "empty_frames", new byte[] {0, 0, 0, 0, 3}, 3);
        write(
                dir,
                "prefix_over_32_bits",
                new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x1F, 1, 2, 3, 7},
                4);
        write(
                dir,
                "sign_bit_prefix",
                concat(
                        new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F},
                        new byte[200],
                        new byte[] {0}),
                5);
        write(
                dir,
                "six_byte_prefix",
                new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00, 7},
                6);
        write(
                dir,
                "garbage_envelope_then_ping",
                concat(Frames.frame(new byte[] {(byte) 0xFF, 0x01}), Frames.encode(Frames.ping(9)), new byte[] {
                    limit1024
                }),
                7);
    }

    private static void write(Path dir, String name, byte[] stream, int shape) throws Exception {
        Files.write(dir.resolve(name), concat(stream, new byte[] {(byte) shape}));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
