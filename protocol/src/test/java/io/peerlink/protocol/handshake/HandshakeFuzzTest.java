package io.peerlink.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.peerlink.core.Direction;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.identity.Verifier;
import io.peerlink.core.trust.InMemoryTrustRegistry;
import io.peerlink.proto.v1.Envelope;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Arbitrary bytes, read as up to four {@code Envelope}s, fed to a fresh initiator and a fresh responder: the
 * machines never throw, always return a step, and a reject always says why. Only {@code PEER} can ever be accepted,
 * and only with a valid proof (the seed corpus holds real handshakes from it).
 *
 * <p>Input format (so seeds are easy to write): frames of a 2-byte big-endian length and that many bytes; a short
 * last frame takes what is left. {@code mvn test} replays {@code HandshakeFuzzTestInputs/handshake/}; run with
 * {@code JAZZER_FUZZ=1} to fuzz.
 */
class HandshakeFuzzTest {
    static final int MAX_MESSAGES = 4;

    /** Fixed keys and challenges, so that seeds recorded once stay valid. */
    static final NodeIdentity LOCAL = NodeIdentity.fromPrivateKey(filled(32, 0x01));

    static final NodeIdentity PEER = NodeIdentity.fromPrivateKey(filled(32, 0x02));
    static final NodeIdentity STRANGER = NodeIdentity.fromPrivateKey(filled(32, 0x03));
    static final InMemoryTrustRegistry TRUST =
            new InMemoryTrustRegistry(Map.of(LOCAL.id(), Role.VALIDATOR, PEER.id(), Role.VALIDATOR));

    @FuzzTest(maxDuration = "60s")
    void handshake(FuzzedDataProvider data) {
        Handshake initiator = machine(LOCAL, Direction.OUTBOUND, 0x11);
        Handshake responder = machine(LOCAL, Direction.INBOUND, 0x22);
        check(initiator, initiator.start());
        check(responder, responder.start());

        for (byte[] frame : frames(data.consumeRemainingAsBytes())) {
            Envelope message;
            try {
                message = Envelope.parseFrom(frame);
            } catch (InvalidProtocolBufferException e) {
                continue;
            }
            check(initiator, initiator.onMessage(message));
            check(responder, responder.onMessage(message));
        }
        check(initiator, initiator.onTimeout());
        check(responder, responder.onTimeout());
    }

    /**
     * The recorded valid handshakes still authenticate, so the corpus reaches the states after the proofs: a seed
     * made before a wire or transcript change would be refused early (regenerate with {@code HandshakeFuzzSeedsTest}).
     */
    @org.junit.jupiter.api.Test
    void recordedValidHandshakesStillAuthenticate() throws Exception {
        String base = "HandshakeFuzzTestInputs/handshake/";
        Handshake responder = machine(LOCAL, Direction.INBOUND, 0x22);
        responder.start();
        Step last = null;
        for (byte[] frame : frames(seed(base + "valid_initiator_flight"))) {
            last = responder.onMessage(Envelope.parseFrom(frame));
        }
        assertThat(last).isInstanceOf(Step.Accept.class);

        Handshake initiator = machine(LOCAL, Direction.OUTBOUND, 0x11);
        initiator.start();
        List<byte[]> answer = frames(seed(base + "valid_responder_answer"));
        initiator.onMessage(Envelope.parseFrom(answer.get(0)));
        assertThat(initiator.onMessage(Envelope.parseFrom(answer.get(1)))).isInstanceOf(Step.Accept.class);
    }

    private static byte[] seed(String name) throws java.io.IOException {
        try (java.io.InputStream in = HandshakeFuzzTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static void check(Handshake machine, Step step) {
        assertThat(step).isNotNull();
        if (step instanceof Step.Reject reject) {
            assertThat(reject.reason()).isNotNull();
            assertThat(reject.detail()).isNotNull();
            assertThat(reject.notice().getDisconnect().getReason())
                    .isEqualTo(reject.reason().code());
            assertThat(machine.state()).isEqualTo(Handshake.State.CLOSED);
        } else if (step instanceof Step.Accept accept) {
            assertThat(accept.peer().id()).isEqualTo(PEER.id());
            assertThat(machine.state()).isEqualTo(Handshake.State.AUTHENTICATED);
        } else {
            assertThat(((Step.Send) step).messages()).isNotNull();
        }
    }

    static Handshake machine(NodeIdentity me, Direction direction, int challengeFill) {
        return new Handshake(
                // a fixed incarnation: the seeds' proofs sign it
                LocalPeer.of(me, Role.VALIDATOR, new PeerAddress("10.1.1.1", 7000), 1, 1_700_000_000_001L),
                direction,
                new Admission(TRUST, Role.VALIDATOR),
                Verifier.ED25519,
                HandshakeSettings.defaults(),
                fixedRandom(challengeFill),
                null);
    }

    static Handshake peerMachine(Direction direction) {
        return new Handshake(
                LocalPeer.of(PEER, Role.VALIDATOR, new PeerAddress("10.2.2.2", 7000), 1, 1_700_000_000_002L),
                direction,
                new Admission(TRUST, Role.VALIDATOR),
                Verifier.ED25519,
                HandshakeSettings.defaults(),
                fixedRandom(0x33),
                (NodeId) null);
    }

    /** Splits the input into at most {@link #MAX_MESSAGES} length-prefixed frames. */
    static List<byte[]> frames(byte[] input) {
        List<byte[]> frames = new ArrayList<>();
        int at = 0;
        while (frames.size() < MAX_MESSAGES && at + 2 <= input.length) {
            int length = ((input[at] & 0xff) << 8) | (input[at + 1] & 0xff);
            at += 2;
            int end = Math.min(input.length, at + length);
            frames.add(Arrays.copyOfRange(input, at, end));
            at = end;
        }
        return frames;
    }

    /** The inverse of {@link #frames}, for writing seeds. */
    static byte[] encode(List<Envelope> messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Envelope e : messages) {
            byte[] b = e.toByteArray();
            out.write(b.length >> 8);
            out.write(b.length);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    @SuppressWarnings("serial")
    static SecureRandom fixedRandom(int fill) {
        return new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                Arrays.fill(bytes, (byte) fill);
            }
        };
    }

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
