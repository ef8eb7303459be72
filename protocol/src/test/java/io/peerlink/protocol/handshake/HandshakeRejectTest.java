package io.peerlink.protocol.handshake;

import static io.peerlink.protocol.handshake.Peers.accepted;
import static io.peerlink.protocol.handshake.Peers.envelope;
import static io.peerlink.protocol.handshake.Peers.identify;
import static io.peerlink.protocol.handshake.Peers.proof;
import static io.peerlink.protocol.handshake.Peers.rejected;
import static io.peerlink.protocol.handshake.Peers.sent;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.Role;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.Ping;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Malformed, misordered, late or forged handshake messages: each gets its reason and closes the machine. */
class HandshakeRejectTest {

    final Peers p = new Peers();
    Handshake initiator;
    Handshake responder;
    Envelope initiatorIdentify;

    @BeforeEach
    void start() {
        initiator = p.initiator(p.a);
        responder = p.responder(p.b);
        initiatorIdentify = sent(initiator.start()).get(0);
        responder.start();
    }

    private Step.Reject responderRejects(Envelope message, DisconnectReason reason) {
        Step.Reject reject = rejected(responder.onMessage(message), reason);
        assertThat(responder.state()).isEqualTo(Handshake.State.CLOSED);
        assertThat(reject.byPeer()).isFalse();
        assertThat(reject.notice().getDisconnect().getReason()).isEqualTo(reason.code());
        return reject;
    }

    @Test
    void timeoutWhileWaitingForIdentify() {
        Step.Reject reject = rejected(responder.onTimeout(), DisconnectReason.HANDSHAKE_TIMEOUT);
        assertThat(reject.detail()).contains("AWAIT_IDENTIFY");
        assertThat(responder.state()).isEqualTo(Handshake.State.CLOSED);
        assertThat(responder.onTimeout())
                .as("a closed machine ignores a late timer")
                .isEqualTo(Step.Send.NOTHING);
    }

    @Test
    void timeoutWhileWaitingForProof() {
        responder.onMessage(initiatorIdentify);

        assertThat(rejected(responder.onTimeout(), DisconnectReason.HANDSHAKE_TIMEOUT)
                        .peer())
                .isEqualTo(p.a.id());
        assertThat(responder.state()).isEqualTo(Handshake.State.CLOSED);
    }

    @Test
    void pingDuringTheHandshake() {
        Envelope ping =
                Envelope.newBuilder().setPing(Ping.newBuilder().setNonce(7)).build();
        assertThat(responderRejects(ping, DisconnectReason.UNEXPECTED_MESSAGE).detail())
                .contains("PING");
    }

    @Test
    void proofBeforeIdentify() {
        assertThat(responderRejects(proof(new byte[64]), DisconnectReason.UNEXPECTED_MESSAGE)
                        .detail())
                .contains("Proof before Identify");
    }

    @Test
    void secondIdentify() {
        responder.onMessage(initiatorIdentify);
        assertThat(responderRejects(initiatorIdentify, DisconnectReason.UNEXPECTED_MESSAGE)
                        .detail())
                .contains("second Identify");
    }

    @Test
    void envelopeOfUnknownKind() {
        assertThat(responderRejects(Envelope.getDefaultInstance(), DisconnectReason.UNEXPECTED_MESSAGE)
                        .detail())
                .contains("unknown kind");
    }

    @Test
    void anyMessageAfterTheMachineClosed() {
        responder.onTimeout();
        responderRejects(initiatorIdentify, DisconnectReason.UNEXPECTED_MESSAGE);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 65, 1000})
    void challengeOfABadLength(int length) {
        Envelope message = envelope(identify(p.a, Role.VALIDATOR).setChallenge(ByteString.copyFrom(new byte[length])));
        assertThat(responderRejects(message, DisconnectReason.BAD_CHALLENGE).detail())
                .contains(length + " bytes (expected: 16..64)");
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 64})
    void challengeAtTheBoundsIsAccepted(int length) {
        byte[] challenge = new byte[length];
        Peers.RANDOM.nextBytes(challenge);
        Envelope message = envelope(identify(p.a, Role.VALIDATOR).setChallenge(ByteString.copyFrom(challenge)));

        assertThat(sent(responder.onMessage(message))).hasSize(2);
    }

    @Test
    void peerReflectsOurChallenge() {
        List<Envelope> answer = sent(responder.onMessage(initiatorIdentify));
        ByteString ours = initiatorIdentify.getIdentify().getChallenge();
        Envelope reflected = envelope(answer.get(0).getIdentify().toBuilder().setChallenge(ours));

        Step.Reject reject = rejected(initiator.onMessage(reflected), DisconnectReason.BAD_CHALLENGE);
        assertThat(reject.detail()).contains("reflected");
        assertThat(initiator.state()).isEqualTo(Handshake.State.CLOSED);
    }

    @Test
    void publicKeyOfTheWrongLength() {
        Envelope message = envelope(identify(p.a, Role.VALIDATOR).setPublicKey(ByteString.copyFrom(new byte[31])));
        assertThat(responderRejects(message, DisconnectReason.MALFORMED_FRAME).detail())
                .contains("31 bytes (expected: 32)");
        assertThat(responder.claimedPeer()).isNull();
    }

    @Test
    void listenAddressTooLong() {
        Envelope message = envelope(identify(p.a, Role.VALIDATOR).setListenAddress("h".repeat(251) + ":7000"));
        responderRejects(message, DisconnectReason.MALFORMED_FRAME);
    }

    @Test
    void listenAddressOfFewCharsButTooManyUtf8Bytes() {
        // 200 chars but 400 UTF-8 bytes: used to escape as an IllegalArgumentException from the transcript
        Envelope message = envelope(identify(p.a, Role.VALIDATOR).setListenAddress("\u00e9".repeat(200)));
        assertThat(responderRejects(message, DisconnectReason.MALFORMED_FRAME).detail())
                .contains("400 UTF-8 bytes");
    }

    @Test
    void unparsableListenAddressIsAdvisoryOnly() {
        Envelope message = envelope(identify(p.a, Role.VALIDATOR).setListenAddress("not an address"));
        List<Envelope> answer = sent(responder.onMessage(message));
        assertThat(answer).hasSize(2);
    }

    @Test
    void nodeIdNotDerivedFromThePublicKey() {
        Envelope message = envelope(identify(p.a, Role.VALIDATOR)
                .setNodeId(ByteString.copyFrom(p.c.id().toBytes())));
        assertThat(responderRejects(message, DisconnectReason.ID_MISMATCH).detail())
                .contains(p.a.id().toString());
    }

    @Test
    void nodeIdOfTheWrongLength() {
        Envelope message = envelope(identify(p.a, Role.VALIDATOR).setNodeId(ByteString.copyFrom(new byte[3])));
        responderRejects(message, DisconnectReason.ID_MISMATCH);
    }

    @Test
    void tamperedResponderProof() {
        List<Envelope> answer = sent(responder.onMessage(initiatorIdentify));
        initiator.onMessage(answer.get(0));

        Step step = initiator.onMessage(flipBit(answer.get(1)));

        assertThat(rejected(step, DisconnectReason.BAD_SIGNATURE).peer()).isEqualTo(p.b.id());
        assertThat(initiator.state()).isEqualTo(Handshake.State.CLOSED);
    }

    @Test
    void tamperedInitiatorProof() {
        List<Envelope> answer = sent(responder.onMessage(initiatorIdentify));
        initiator.onMessage(answer.get(0));
        Step.Accept done = accepted(initiator.onMessage(answer.get(1)));

        responderRejects(flipBit(done.messages().get(0)), DisconnectReason.BAD_SIGNATURE);
    }

    @Test
    void emptyOrShortSignature() {
        responder.onMessage(initiatorIdentify);
        responderRejects(proof(new byte[0]), DisconnectReason.BAD_SIGNATURE);

        Handshake other = p.responder(p.b);
        other.start();
        other.onMessage(envelope(identify(p.a, Role.VALIDATOR)));
        rejected(other.onMessage(proof(new byte[63])), DisconnectReason.BAD_SIGNATURE);
    }

    @Test
    void roleChangedDuringTheRoundTripIsCaughtAtTheProof() {
        List<Envelope> answer = sent(responder.onMessage(initiatorIdentify));
        initiator.onMessage(answer.get(0));
        Step.Accept done = accepted(initiator.onMessage(answer.get(1)));

        p.trust.put(p.a.id(), Role.OBSERVER);

        responderRejects(done.messages().get(0), DisconnectReason.ROLE_NOT_ALLOWED);
    }

    static Envelope flipBit(Envelope proofEnvelope) {
        byte[] sig = proofEnvelope.getProof().getSignature().toByteArray();
        sig[5] ^= 0x01;
        return proof(sig);
    }
}
