package io.peerlink.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.identity.Verifier;
import io.peerlink.core.trust.InMemoryTrustRegistry;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.Identify;
import io.peerlink.proto.v1.Proof;
import io.peerlink.protocol.wire.Wire;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Test fixture: identities, a shared trust registry and handshake machines wired to them. */
final class Peers {
    static final SecureRandom RANDOM = new SecureRandom();

    final NodeIdentity a = NodeIdentity.generate();
    final NodeIdentity b = NodeIdentity.generate();
    final NodeIdentity c = NodeIdentity.generate();
    final InMemoryTrustRegistry trust =
            new InMemoryTrustRegistry(Map.of(a.id(), Role.VALIDATOR, b.id(), Role.VALIDATOR, c.id(), Role.VALIDATOR));

    static PeerAddress address(NodeIdentity id) {
        return new PeerAddress("10.0.0." + (id.id().toBytes()[0] & 0x7f), 7000);
    }

    Handshake initiator(NodeIdentity me) {
        return machine(me, Role.VALIDATOR, Direction.OUTBOUND, null);
    }

    Handshake responder(NodeIdentity me) {
        return machine(me, Role.VALIDATOR, Direction.INBOUND, null);
    }

    Handshake machine(NodeIdentity me, Role role, Direction direction, @Nullable NodeId expected) {
        return machine(me, role, role, direction, expected);
    }

    /** A machine whose claimed role and admission role may differ (to exercise the other side's checks). */
    Handshake machine(NodeIdentity me, Role claimed, Role admitAs, Direction direction, @Nullable NodeId expected) {
        return new Handshake(
                LocalPeer.of(me, claimed, address(me)),
                direction,
                new Admission(trust, admitAs),
                Verifier.ED25519,
                HandshakeSettings.defaults(),
                RANDOM,
                expected);
    }

    /** A valid Identify of {@code id} with a fresh challenge, to be altered by the test. */
    static Identify.Builder identify(NodeIdentity id, Role role) {
        byte[] challenge = new byte[32];
        RANDOM.nextBytes(challenge);
        return Identify.newBuilder()
                .setProtocolVersion(HandshakeSettings.defaults().protocolVersion())
                .setPublicKey(ByteString.copyFrom(id.publicKey()))
                .setNodeId(ByteString.copyFrom(id.id().toBytes()))
                .setRole(Wire.toWire(role))
                .setListenAddress(address(id).toString())
                .setChallenge(ByteString.copyFrom(challenge))
                .setAddressRecord(io.peerlink.protocol.pex.AddressRecords.sign(
                        id, id.publicKey(), id.id(), List.of(address(id)), 1));
    }

    static Envelope envelope(Identify.Builder identify) {
        return Envelope.newBuilder().setIdentify(identify).build();
    }

    static Envelope proof(byte[] signature) {
        return Envelope.newBuilder()
                .setProof(Proof.newBuilder().setSignature(ByteString.copyFrom(signature)))
                .build();
    }

    static List<Envelope> sent(Step step) {
        assertThat(step).isInstanceOf(Step.Send.class);
        return ((Step.Send) step).messages();
    }

    static Step.Accept accepted(Step step) {
        assertThat(step).isInstanceOf(Step.Accept.class);
        return (Step.Accept) step;
    }

    static Step.Reject rejected(Step step, DisconnectReason reason) {
        assertThat(step).isInstanceOf(Step.Reject.class);
        Step.Reject reject = (Step.Reject) step;
        assertThat(reject.reason()).as("reason (detail: %s)", reject.detail()).isEqualTo(reason);
        assertThat(reject.detail()).isNotBlank();
        return reject;
    }

    /** Runs initiator and responder against each other until both stop; returns both final steps. */
    static Step[] run(Handshake initiator, Handshake responder) {
        List<Envelope> toResponder = sent(initiator.start());
        assertThat(sent(responder.start())).isEmpty();
        Step lastI = null;
        Step lastR = null;
        for (int round = 0; round < 4; round++) {
            List<Envelope> toInitiator = new java.util.ArrayList<>();
            for (Envelope e : toResponder) {
                if (done(responder)) {
                    break;
                }
                lastR = responder.onMessage(e);
                toInitiator.addAll(out(lastR));
            }
            toResponder = new java.util.ArrayList<>();
            for (Envelope e : toInitiator) {
                if (done(initiator)) {
                    break;
                }
                lastI = initiator.onMessage(e);
                toResponder.addAll(out(lastI));
            }
            if (toResponder.isEmpty() && toInitiator.isEmpty()) {
                break;
            }
        }
        return new Step[] {lastI, lastR};
    }

    private static boolean done(Handshake h) {
        return h.state() == Handshake.State.CLOSED || h.state() == Handshake.State.AUTHENTICATED;
    }

    /** What a well-behaved transport writes for a step. */
    static List<Envelope> out(Step step) {
        if (step instanceof Step.Send s) {
            return s.messages();
        }
        if (step instanceof Step.Accept a) {
            return a.messages();
        }
        Step.Reject r = (Step.Reject) step;
        return r.byPeer() ? List.of() : List.of(r.notice());
    }
}
