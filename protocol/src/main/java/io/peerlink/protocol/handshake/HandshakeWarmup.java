package io.peerlink.protocol.handshake;

import com.google.protobuf.InvalidProtocolBufferException;
import io.peerlink.core.Direction;
import io.peerlink.core.Role;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.identity.Verifier;
import io.peerlink.core.trust.InMemoryTrustRegistry;
import io.peerlink.proto.v1.Envelope;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

/**
 * Runs one complete handshake in memory between this node (as initiator, with its own key) and a throwaway
 * validator, every message through the protobuf encoding. A fresh JVM loads and initializes the handshake, protobuf
 * and Ed25519 classes here, at start, instead of inside the first real link's deadline.
 *
 * <pre>{@code
 * HandshakeWarmup.run(LocalPeer.of(identity, Role.VALIDATOR, null), settings);
 * }</pre>
 */
public final class HandshakeWarmup {
    private static final int MAX_STEPS = 8;

    private HandshakeWarmup() {}

    /** Runs the handshake; returns whether both sides authenticated (they do, unless something is broken). */
    public static boolean run(LocalPeer local, HandshakeSettings settings) {
        NodeIdentity other = NodeIdentity.generate();
        InMemoryTrustRegistry trust =
                new InMemoryTrustRegistry(Map.of(local.id(), local.role(), other.id(), Role.VALIDATOR));
        SecureRandom random = new SecureRandom();
        Handshake initiator = new Handshake(
                local,
                Direction.OUTBOUND,
                new Admission(trust, local.role()),
                Verifier.ED25519,
                settings,
                random,
                other.id());
        Handshake responder = new Handshake(
                LocalPeer.of(other, Role.VALIDATOR, null),
                Direction.INBOUND,
                new Admission(trust, Role.VALIDATOR),
                Verifier.ED25519,
                settings,
                random,
                null);
        responder.start();
        Step toResponder = initiator.start();
        Step toInitiator = Step.Send.NOTHING;
        for (int i = 0; i < MAX_STEPS; i++) {
            if (toResponder instanceof Step.Reject || toInitiator instanceof Step.Reject) {
                return false;
            }
            for (Envelope e : sent(toResponder)) {
                toInitiator = responder.onMessage(roundTrip(e));
            }
            toResponder = Step.Send.NOTHING;
            for (Envelope e : sent(toInitiator)) {
                toResponder = initiator.onMessage(roundTrip(e));
            }
            toInitiator = Step.Send.NOTHING;
            if (initiator.state() == Handshake.State.AUTHENTICATED) {
                for (Envelope e : sent(toResponder)) {
                    responder.onMessage(roundTrip(e));
                }
                return responder.state() == Handshake.State.AUTHENTICATED;
            }
        }
        return false;
    }

    private static List<Envelope> sent(Step step) {
        if (step instanceof Step.Send s) {
            return s.messages();
        }
        return step instanceof Step.Accept a ? a.messages() : List.of();
    }

    private static Envelope roundTrip(Envelope e) {
        try {
            return Envelope.parseFrom(e.toByteArray());
        } catch (InvalidProtocolBufferException x) {
            throw new IllegalStateException(x);
        }
    }
}
