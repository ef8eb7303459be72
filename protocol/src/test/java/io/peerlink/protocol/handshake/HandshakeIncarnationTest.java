package io.peerlink.protocol.handshake;

import static io.peerlink.protocol.handshake.Peers.accepted;
import static io.peerlink.protocol.handshake.Peers.rejected;
import static io.peerlink.protocol.handshake.Peers.sent;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.Role;
import io.peerlink.core.identity.Verifier;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.Identify;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The boot incarnation travels in Identify and is covered by both proofs, so only the node itself can present
 * itself as restarted; the link id is the same at both ends and new for every handshake.
 */
class HandshakeIncarnationTest {
    final Peers p = new Peers();

    Handshake machine(LocalPeer me, Direction direction) {
        return new Handshake(
                me,
                direction,
                new Admission(p.trust, Role.VALIDATOR),
                Verifier.ED25519,
                HandshakeSettings.defaults(),
                Peers.RANDOM,
                null);
    }

    @Test
    void eachEndLearnsTheIncarnationThePeerSigned() {
        Handshake initiator = machine(
                LocalPeer.of(p.a, Role.VALIDATOR, Peers.address(p.a), 1, 1_700_000_000_001L), Direction.OUTBOUND);
        Handshake responder = machine(
                LocalPeer.of(p.b, Role.VALIDATOR, Peers.address(p.b), 1, 1_700_000_000_002L), Direction.INBOUND);

        Step[] last = Peers.run(initiator, responder);

        PeerInfo atInitiator = accepted(last[0]).peer();
        PeerInfo atResponder = accepted(last[1]).peer();
        assertThat(atInitiator.incarnation()).isEqualTo(1_700_000_000_002L);
        assertThat(atResponder.incarnation()).isEqualTo(1_700_000_000_001L);
        assertThat(atInitiator.linkId()).matches("[0-9a-f]{16}").isEqualTo(atResponder.linkId());
    }

    @Test
    void everyHandshakeOfTheSamePairHasItsOwnLinkId() {
        Step[] one = Peers.run(p.initiator(p.a), p.responder(p.b));
        Step[] two = Peers.run(p.initiator(p.a), p.responder(p.b));

        assertThat(accepted(one[0]).peer().linkId())
                .isNotEqualTo(accepted(two[0]).peer().linkId());
    }

    @Test
    void anIncarnationAlteredInFlightBreaksTheProofs() {
        // a man in the middle bumps the initiator's incarnation to make the responder drop its live link
        Handshake initiator = p.initiator(p.a);
        Handshake responder = p.responder(p.b);
        Identify hello = sent(initiator.start()).get(0).getIdentify();
        responder.start();
        List<Envelope> answer = sent(responder.onMessage(Envelope.newBuilder()
                .setIdentify(hello.toBuilder().setIncarnation(hello.getIncarnation() + 1))
                .build()));

        // the responder signed the altered value; the initiator signed its own: neither proof verifies
        initiator.onMessage(answer.get(0));
        rejected(initiator.onMessage(answer.get(1)), DisconnectReason.BAD_SIGNATURE);
    }

    @Test
    void anIncarnationAlteredInTheResponderIdentifyBreaksTheResponderProof() {
        Handshake initiator = p.initiator(p.a);
        Handshake responder = p.responder(p.b);
        Envelope hello = sent(initiator.start()).get(0);
        responder.start();
        List<Envelope> answer = sent(responder.onMessage(hello));
        Identify altered = answer.get(0).getIdentify().toBuilder()
                .setIncarnation(answer.get(0).getIdentify().getIncarnation() + 1)
                .build();

        initiator.onMessage(Envelope.newBuilder().setIdentify(altered).build());
        rejected(initiator.onMessage(answer.get(1)), DisconnectReason.BAD_SIGNATURE);
    }

    @Test
    void transcriptCoversBothIncarnations() {
        Transcript.Parties base = parties(1, 2);
        assertThat(Transcript.bytes(Transcript.INITIATOR_PROOF, base))
                .isNotEqualTo(Transcript.bytes(Transcript.INITIATOR_PROOF, parties(3, 2)))
                .isNotEqualTo(Transcript.bytes(Transcript.INITIATOR_PROOF, parties(1, 3)));
        assertThat(Transcript.linkId(base)).isNotEqualTo(Transcript.linkId(parties(1, 3)));
    }

    @Test
    void newIncarnationsGrowWithinOneJvm() {
        long first = LocalPeer.newIncarnation();
        long second = LocalPeer.newIncarnation();
        assertThat(second).isGreaterThan(first);
        assertThat(first).isGreaterThanOrEqualTo(System.currentTimeMillis() - 60_000);
    }

    private Transcript.Parties parties(long initiatorIncarnation, long responderIncarnation) {
        byte[] ci = new byte[16];
        byte[] cr = new byte[16];
        cr[0] = 1;
        return new Transcript.Parties(
                ci,
                cr,
                p.a.id(),
                p.b.id(),
                1,
                1,
                "a:1",
                "b:1",
                initiatorIncarnation,
                responderIncarnation,
                new byte[0]);
    }
}
