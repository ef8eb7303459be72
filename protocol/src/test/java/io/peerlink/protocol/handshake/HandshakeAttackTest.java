package io.peerlink.protocol.handshake;

import static io.peerlink.protocol.handshake.Peers.accepted;
import static io.peerlink.protocol.handshake.Peers.envelope;
import static io.peerlink.protocol.handshake.Peers.identify;
import static io.peerlink.protocol.handshake.Peers.proof;
import static io.peerlink.protocol.handshake.Peers.rejected;
import static io.peerlink.protocol.handshake.Peers.sent;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.Role;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.Identify;
import io.peerlink.protocol.wire.Wire;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replay, relay and reflection at the level of the pure machine: an attacker who records, forwards or echoes
 * honest messages never gets a peer to accept an identity it cannot prove.
 */
class HandshakeAttackTest {

    final Peers p = new Peers();

    /** One honest handshake a -> b, as an eavesdropper records it. */
    record Recording(
            Envelope initiatorIdentify, Envelope responderIdentify, Envelope responderProof, Envelope initiatorProof) {}

    Recording honest() {
        Handshake initiator = p.initiator(p.a);
        Handshake responder = p.responder(p.b);
        Envelope hello = sent(initiator.start()).get(0);
        responder.start();
        List<Envelope> answer = sent(responder.onMessage(hello));
        initiator.onMessage(answer.get(0));
        Envelope last = accepted(initiator.onMessage(answer.get(1))).messages().get(0);
        accepted(responder.onMessage(last));
        return new Recording(hello, answer.get(0), answer.get(1), last);
    }

    @Test
    void replayedInitiatorProofFailsBecauseTheResponderChallengeIsFresh() {
        Recording old = honest();
        Handshake responder = p.responder(p.b);
        responder.start();

        List<Envelope> answer = sent(responder.onMessage(old.initiatorIdentify()));
        assertThat(answer.get(0).getIdentify().getChallenge())
                .isNotEqualTo(old.responderIdentify().getIdentify().getChallenge());

        Step step = responder.onMessage(old.initiatorProof());

        assertThat(rejected(step, DisconnectReason.BAD_SIGNATURE).peer()).isEqualTo(p.a.id());
        assertThat(responder.state()).isEqualTo(Handshake.State.CLOSED);
    }

    @Test
    void replayedResponderAnswerFailsBecauseTheInitiatorChallengeIsFresh() {
        Recording old = honest();
        Handshake initiator = p.initiator(p.a); // a dials "b" again; the attacker answers with the recording
        initiator.start();

        assertThat(sent(initiator.onMessage(old.responderIdentify()))).isEmpty();
        Step step = initiator.onMessage(old.responderProof());

        rejected(step, DisconnectReason.BAD_SIGNATURE);
        assertThat(initiator.state()).isEqualTo(Handshake.State.CLOSED);
    }

    @Test
    void relayedChallengeGivesAProofBoundToTheWrongIds() {
        // a dials the attacker c; c dials b as itself, passing on a's challenge, and forwards b's answer to a
        Handshake a = p.initiator(p.a);
        Envelope fromA = sent(a.start()).get(0);
        Handshake b = p.responder(p.b);
        b.start();
        Envelope cToB = envelope(
                identify(p.c, Role.VALIDATOR).setChallenge(fromA.getIdentify().getChallenge()));
        List<Envelope> fromB = sent(b.onMessage(cToB));

        assertThat(sent(a.onMessage(fromB.get(0)))).isEmpty();
        Step step = a.onMessage(fromB.get(1));

        // b signed (c, b) as the pair; a checks (a, b): the relay is useless
        Step.Reject reject = rejected(step, DisconnectReason.BAD_SIGNATURE);
        assertThat(reject.peer()).isEqualTo(p.b.id());
        assertThat(a.state()).isEqualTo(Handshake.State.CLOSED);
    }

    @Test
    void transparentForwardingAuthenticatesTheRealEndsOnly() {
        // a forwarder that passes every byte through unchanged is no man in the middle: a and b see each other
        Handshake a = p.initiator(p.a);
        Handshake b = p.responder(p.b);
        Step[] done = Peers.run(a, b);

        assertThat(accepted(done[0]).peer().id()).isEqualTo(p.b.id()).isNotEqualTo(p.c.id());
        assertThat(accepted(done[1]).peer().id()).isEqualTo(p.a.id()).isNotEqualTo(p.c.id());
    }

    @Test
    void echoedIdentifyIsASelfConnection() {
        Handshake a = p.initiator(p.a);
        Envelope hello = sent(a.start()).get(0);

        Step step = a.onMessage(hello);

        rejected(step, DisconnectReason.SELF_CONNECTION);
        assertThat(a.state()).isEqualTo(Handshake.State.CLOSED);
    }

    @Test
    void reflectedChallengeIsRefusedBeforeAnythingIsSigned() {
        Handshake a = p.initiator(p.a);
        Envelope hello = sent(a.start()).get(0);
        Envelope reflected = envelope(
                identify(p.c, Role.VALIDATOR).setChallenge(hello.getIdentify().getChallenge()));

        Step step = a.onMessage(reflected);

        rejected(step, DisconnectReason.BAD_CHALLENGE);
        assertThat(Peers.out(step)).extracting(Envelope::getBodyCase).containsExactly(Envelope.BodyCase.DISCONNECT);
    }

    @Test
    void responderProofCannotBeReflectedAsAnInitiatorProof() {
        Handshake initiator = p.initiator(p.a);
        Handshake responder = p.responder(p.b);
        Identify hello = sent(initiator.start()).get(0).getIdentify();
        responder.start();
        Identify answer = sent(responder.onMessage(
                        Envelope.newBuilder().setIdentify(hello).build()))
                .get(0)
                .getIdentify();

        Transcript.Parties parties = new Transcript.Parties(
                hello.getChallenge().toByteArray(),
                answer.getChallenge().toByteArray(),
                p.a.id(),
                p.b.id(),
                Wire.toWire(Role.VALIDATOR).getNumber(),
                Wire.toWire(Role.VALIDATOR).getNumber(),
                hello.getListenAddress(),
                answer.getListenAddress(),
                hello.getIncarnation(),
                answer.getIncarnation(),
                new byte[0]);
        byte[] asResponder = p.a.sign(Transcript.bytes(Transcript.RESPONDER_PROOF, parties));
        byte[] asInitiator = p.a.sign(Transcript.bytes(Transcript.INITIATOR_PROOF, parties));

        // the same fields signed for the other purpose do not verify...
        rejected(responder.onMessage(proof(asResponder)), DisconnectReason.BAD_SIGNATURE);
        // ...while the right purpose over the same fields would have: the purpose byte is what refused it
        Handshake again = p.responder(p.b);
        again.start();
        assertThat(Transcript.bytes(Transcript.INITIATOR_PROOF, parties))
                .isNotEqualTo(Transcript.bytes(Transcript.RESPONDER_PROOF, parties));
        assertThat(io.peerlink.core.identity.Ed25519.verify(
                        p.a.publicKey(), Transcript.bytes(Transcript.INITIATOR_PROOF, parties), asInitiator))
                .isTrue();
    }
}
