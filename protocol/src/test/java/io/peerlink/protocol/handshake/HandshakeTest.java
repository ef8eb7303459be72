package io.peerlink.protocol.handshake;

import static io.peerlink.protocol.handshake.Peers.accepted;
import static io.peerlink.protocol.handshake.Peers.envelope;
import static io.peerlink.protocol.handshake.Peers.identify;
import static io.peerlink.protocol.handshake.Peers.rejected;
import static io.peerlink.protocol.handshake.Peers.run;
import static io.peerlink.protocol.handshake.Peers.sent;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.Role;
import io.peerlink.core.identity.Verifier;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.protocol.wire.Wire;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two machines against each other in memory, with real Ed25519: the happy path and the policy rejections. */
class HandshakeTest {
    /** Stand-ins for the DER certificates of a's and b's TLS sessions: the binding hashes whatever it is given. */
    private static final byte[] CERT_A = "certificate of a".getBytes(UTF_8);

    private static final byte[] CERT_B = "certificate of b".getBytes(UTF_8);

    final Peers p = new Peers();

    @Test
    void bothSidesAcceptInOneAndAHalfRoundTrips() throws Exception {
        Handshake initiator = p.initiator(p.a);
        Handshake responder = p.responder(p.b);

        List<Envelope> first = sent(initiator.start());
        assertThat(first).extracting(Envelope::getBodyCase).containsExactly(Envelope.BodyCase.IDENTIFY);
        assertThat(first.get(0).getIdentify().getChallenge().size()).isEqualTo(32);
        assertThat(sent(responder.start())).isEmpty();
        assertThat(responder.state()).isEqualTo(Handshake.State.AWAIT_IDENTIFY);

        List<Envelope> second = sent(responder.onMessage(first.get(0)));
        assertThat(second)
                .extracting(Envelope::getBodyCase)
                .containsExactly(Envelope.BodyCase.IDENTIFY, Envelope.BodyCase.PROOF);
        assertThat(responder.state()).isEqualTo(Handshake.State.AWAIT_PROOF);
        assertThat(responder.claimedPeer()).isEqualTo(p.a.id());

        assertThat(sent(initiator.onMessage(second.get(0)))).isEmpty();
        Step.Accept initiatorDone = accepted(initiator.onMessage(second.get(1)));
        assertThat(initiatorDone.messages()).extracting(Envelope::getBodyCase).containsExactly(Envelope.BodyCase.PROOF);
        assertThat(initiatorDone.peer())
                .isEqualTo(new PeerInfo(
                        p.b.id(),
                        Role.VALIDATOR,
                        Peers.address(p.b),
                        io.peerlink.protocol.pex.AddressRecords.verify(
                                second.get(0).getIdentify().getAddressRecord(),
                                io.peerlink.core.identity.Verifier.ED25519),
                        second.get(0).getIdentify().getIncarnation(),
                        initiatorDone.peer().linkId()));

        Step.Accept responderDone =
                accepted(responder.onMessage(initiatorDone.messages().get(0)));
        assertThat(responderDone.messages()).isEmpty();
        assertThat(responderDone.peer())
                .isEqualTo(new PeerInfo(
                        p.a.id(),
                        Role.VALIDATOR,
                        Peers.address(p.a),
                        io.peerlink.protocol.pex.AddressRecords.verify(
                                first.get(0).getIdentify().getAddressRecord(),
                                io.peerlink.core.identity.Verifier.ED25519),
                        first.get(0).getIdentify().getIncarnation(),
                        responderDone.peer().linkId()));
        // both ends derive the same link id, and each learns the other's signed boot incarnation
        assertThat(initiatorDone.peer().linkId())
                .matches("[0-9a-f]{16}")
                .isEqualTo(responderDone.peer().linkId());
        assertThat(first.get(0).getIdentify().getIncarnation()).isPositive();
        assertThat(second.get(0).getIdentify().getIncarnation()).isPositive();

        assertThat(initiator.state()).isEqualTo(Handshake.State.AUTHENTICATED);
        assertThat(responder.state()).isEqualTo(Handshake.State.AUTHENTICATED);
        assertThat(initiator.direction()).isEqualTo(Direction.OUTBOUND);
        assertThat(initiator.onTimeout()).isEqualTo(Step.Send.NOTHING);
    }

    @Test
    void overTlsTheClaimedKeyMustBeTheCertificateKey() {
        Handshake initiator = p.initiator(p.a);
        Handshake responder = p.responder(p.b);
        responder.onTransportSecured(p.c.publicKey(), CERT_B, CERT_A); // the TLS peer is bound to c, a claims a
        responder.start();

        rejected(responder.onMessage(sent(initiator.start()).get(0)), DisconnectReason.ID_MISMATCH);
    }

    @Test
    void proofsMadeOverTlsDoNotVerifyOnAPlaintextLink() {
        Handshake initiator = p.initiator(p.a);
        Handshake responder = p.responder(p.b);
        initiator.onTransportSecured(p.b.publicKey(), CERT_A, CERT_B); // only one side binds the TLS session
        responder.start();

        List<Envelope> second = sent(responder.onMessage(sent(initiator.start()).get(0)));
        initiator.onMessage(second.get(0));
        rejected(initiator.onMessage(second.get(1)), DisconnectReason.BAD_SIGNATURE);
    }

    @Test
    void bothEndsBindingTheirTlsPeersKeysAuthenticate() {
        Handshake initiator = p.initiator(p.a);
        Handshake responder = p.responder(p.b);
        initiator.onTransportSecured(p.b.publicKey(), CERT_A, CERT_B);
        responder.onTransportSecured(p.a.publicKey(), CERT_B, CERT_A);

        Step[] done = run(initiator, responder);

        accepted(done[0]);
        accepted(done[1]);
    }

    @Test
    void proofsDoNotVerifyInATlsSessionWithAnotherCertificate() {
        // the responder's session has another initiator certificate than the one the initiator signed over: a
        // man in the middle holding two TLS sessions relays the messages unchanged
        Handshake initiator = p.initiator(p.a);
        Handshake responder = p.responder(p.b);
        initiator.onTransportSecured(p.b.publicKey(), CERT_A, CERT_B);
        responder.onTransportSecured(p.a.publicKey(), CERT_B, "another certificate of a".getBytes(UTF_8));
        responder.start();

        List<Envelope> second = sent(responder.onMessage(sent(initiator.start()).get(0)));
        initiator.onMessage(second.get(0));
        rejected(initiator.onMessage(second.get(1)), DisconnectReason.BAD_SIGNATURE);
    }

    @Test
    void tlsBindingIsOrderedByRoleSoBothEndsComputeTheSameBytes() {
        byte[] forward = Transcript.tlsBinding(CERT_A, CERT_B);
        assertThat(forward).hasSize(Transcript.TLS_BINDING_BYTES);
        assertThat(forward).isNotEqualTo(Transcript.tlsBinding(CERT_B, CERT_A));
        assertThat(forward).isEqualTo(Transcript.tlsBinding(CERT_A.clone(), CERT_B.clone()));
    }

    @Test
    void validatorAcceptsAnObserverAndAGatewayDialingIn() {
        p.trust.put(p.c.id(), Role.OBSERVER);
        Step[] observer = run(p.machine(p.c, Role.OBSERVER, Direction.OUTBOUND, p.b.id()), p.responder(p.b));
        assertThat(accepted(observer[0]).peer().role()).isEqualTo(Role.VALIDATOR);
        assertThat(accepted(observer[1]).peer().role()).isEqualTo(Role.OBSERVER);

        p.trust.put(p.c.id(), Role.GATEWAY);
        Step[] gateway = run(p.machine(p.c, Role.GATEWAY, Direction.OUTBOUND, null), p.responder(p.b));
        assertThat(accepted(gateway[1]).peer().role()).isEqualTo(Role.GATEWAY);
    }

    @Test
    void emptyListenAddressGivesNoAddress() {
        Handshake initiator = new Handshake(
                LocalPeer.of(p.a, Role.VALIDATOR, null),
                Direction.OUTBOUND,
                new Admission(p.trust, Role.VALIDATOR),
                Verifier.ED25519,
                HandshakeSettings.defaults(),
                Peers.RANDOM,
                null);

        Step[] done = run(initiator, p.responder(p.b));

        assertThat(accepted(done[1]).peer().listenAddress()).isNull();
    }

    @Test
    void unknownPeerIsRefusedAndTheInitiatorLearnsWhy() {
        p.trust.revoke(p.a.id()); // never subscribed: unknown, not revoked

        Step[] done = run(p.initiator(p.a), p.responder(p.b));

        Step.Reject refused = rejected(done[1], DisconnectReason.UNKNOWN_PEER);
        assertThat(refused.byPeer()).isFalse();
        assertThat(refused.peer()).isEqualTo(p.a.id());
        assertThat(refused.notice().getDisconnect().getReason()).isEqualTo(DisconnectReason.UNKNOWN_PEER.code());
        Step.Reject told = rejected(done[0], DisconnectReason.UNKNOWN_PEER);
        assertThat(told.byPeer()).isTrue();
        assertThat(told.detail()).isEqualTo(refused.detail());
    }

    @Test
    void revokedPeerIsRefusedAsRevoked() throws Exception {
        Admission admission = new Admission(p.trust, Role.VALIDATOR);
        try (AutoCloseable ignored = p.trust.subscribe(admission::onTrustChange)) {
            p.trust.revoke(p.a.id());
        }
        Handshake responder = new Handshake(
                LocalPeer.of(p.b, Role.VALIDATOR, null),
                Direction.INBOUND,
                admission,
                Verifier.ED25519,
                HandshakeSettings.defaults(),
                Peers.RANDOM,
                null);

        Step[] done = run(p.initiator(p.a), responder);

        rejected(done[1], DisconnectReason.REVOKED);
        assertThat(responder.state()).isEqualTo(Handshake.State.CLOSED);
    }

    @Test
    void revocationDuringTheRoundTripIsCaughtAtTheProof() throws Exception {
        Admission admission = new Admission(p.trust, Role.VALIDATOR);
        AutoCloseable subscription = p.trust.subscribe(admission::onTrustChange);
        Handshake initiator = p.initiator(p.a);
        Handshake responder = new Handshake(
                LocalPeer.of(p.b, Role.VALIDATOR, null),
                Direction.INBOUND,
                admission,
                Verifier.ED25519,
                HandshakeSettings.defaults(),
                Peers.RANDOM,
                null);
        responder.start();
        List<Envelope> answer = sent(responder.onMessage(sent(initiator.start()).get(0)));
        initiator.onMessage(answer.get(0));
        Step.Accept initiatorDone = accepted(initiator.onMessage(answer.get(1)));

        p.trust.revoke(p.a.id());
        subscription.close();

        rejected(responder.onMessage(initiatorDone.messages().get(0)), DisconnectReason.REVOKED);
        assertThat(responder.state()).isEqualTo(Handshake.State.CLOSED);
    }

    @Test
    void claimedRoleMustMatchTheRegistry() {
        // a is a validator in the registry but claims to be a gateway
        Step[] done = run(p.machine(p.a, Role.GATEWAY, Direction.OUTBOUND, null), p.responder(p.b));

        assertThat(rejected(done[1], DisconnectReason.ROLE_NOT_ALLOWED).detail())
                .contains("claims role gateway but is registered as validator");
    }

    @Test
    void observerDoesNotDialAnObserver() {
        p.trust.put(p.a.id(), Role.OBSERVER);
        p.trust.put(p.b.id(), Role.OBSERVER);
        // b admits like a validator would, so that the initiator's own rule is the one that refuses
        Handshake initiator = p.machine(p.a, Role.OBSERVER, Direction.OUTBOUND, null);
        Handshake responder = p.machine(p.b, Role.OBSERVER, Role.VALIDATOR, Direction.INBOUND, null);

        Step[] done = run(initiator, responder);

        assertThat(rejected(done[0], DisconnectReason.ROLE_NOT_ALLOWED).detail())
                .contains("does not dial");
        assertThat(initiator.state()).isEqualTo(Handshake.State.CLOSED);
    }

    @Test
    void nonValidatorAcceptsNoInboundLinks() {
        p.trust.put(p.b.id(), Role.GATEWAY);
        Handshake responder = p.machine(p.b, Role.GATEWAY, Direction.INBOUND, null);

        Step[] done = run(p.initiator(p.a), responder);

        assertThat(rejected(done[1], DisconnectReason.ROLE_NOT_ALLOWED).detail())
                .contains("does not accept");
        rejected(done[0], DisconnectReason.ROLE_NOT_ALLOWED);
    }

    @Test
    void unspecifiedRoleIsRefused() {
        Handshake responder = p.responder(p.b);
        responder.start();

        Step step = responder.onMessage(
                envelope(identify(p.a, Role.VALIDATOR).setRole(io.peerlink.proto.v1.Role.ROLE_UNSPECIFIED)));

        rejected(step, DisconnectReason.ROLE_NOT_ALLOWED);
    }

    @Test
    void unexpectedPeerAnswersTheDial() {
        Handshake initiator = p.machine(p.a, Role.VALIDATOR, Direction.OUTBOUND, p.c.id());

        Step[] done = run(initiator, p.responder(p.b));

        Step.Reject reject = rejected(done[0], DisconnectReason.UNEXPECTED_PEER);
        assertThat(reject.peer()).isEqualTo(p.b.id());
        assertThat(reject.detail())
                .contains(p.c.id().toString())
                .contains(p.b.id().toString());
    }

    @Test
    void dialingItselfIsASelfConnection() {
        Step[] done = run(p.initiator(p.a), p.responder(p.a));

        rejected(done[1], DisconnectReason.SELF_CONNECTION);
        rejected(done[0], DisconnectReason.SELF_CONNECTION);
    }

    @Test
    void protocolVersionMustMatch() {
        Handshake responder = p.responder(p.b);
        responder.start();

        Step step = responder.onMessage(envelope(identify(p.a, Role.VALIDATOR).setProtocolVersion(1)));

        assertThat(rejected(step, DisconnectReason.PROTOCOL_VERSION).detail()).contains("version 1");
        assertThat(responder.state()).isEqualTo(Handshake.State.CLOSED);
    }

    @Test
    void disconnectDuringTheHandshakeIsARejectByThePeer() {
        Handshake initiator = p.initiator(p.a);
        initiator.start();

        Step step = initiator.onMessage(Wire.disconnect(DisconnectReason.TOO_MANY_CONNECTIONS, "full"));

        Step.Reject reject = rejected(step, DisconnectReason.TOO_MANY_CONNECTIONS);
        assertThat(reject.byPeer()).isTrue();
        assertThat(reject.detail()).isEqualTo("full");
        assertThat(reject.peer()).isNull();
        assertThat(initiator.state()).isEqualTo(Handshake.State.CLOSED);
    }

    @Test
    void disconnectWithAnUnknownCodeIsKeptAsUnknown() {
        Handshake responder = p.responder(p.b);
        responder.start();
        responder.onMessage(envelope(identify(p.a, Role.VALIDATOR)));
        Envelope future = Envelope.newBuilder()
                .setDisconnect(io.peerlink.proto.v1.Disconnect.newBuilder()
                        .setReason(999)
                        .setDetail("new"))
                .build();

        Step.Reject reject = rejected(responder.onMessage(future), DisconnectReason.UNKNOWN);

        assertThat(reject.byPeer()).isTrue();
        assertThat(reject.peer()).isEqualTo(p.a.id());
    }

    @Test
    void badFrameRejectsWithTheGivenReason() {
        Handshake responder = p.responder(p.b);
        responder.start();

        rejected(
                responder.onBadFrame(DisconnectReason.FRAME_TOO_LARGE, "frame of 2048 bytes"),
                DisconnectReason.FRAME_TOO_LARGE);
        assertThat(responder.state()).isEqualTo(Handshake.State.CLOSED);
    }

    @Test
    void startingTwiceIsAnInternalError() {
        Handshake initiator = p.initiator(p.a);
        initiator.start();

        rejected(initiator.start(), DisconnectReason.INTERNAL_ERROR);
    }
}
