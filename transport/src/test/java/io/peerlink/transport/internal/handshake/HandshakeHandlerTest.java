package io.peerlink.transport.internal.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.Role;
import io.peerlink.core.config.Defaults;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.InMemoryTrustRegistry;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.Identify;
import io.peerlink.proto.v1.Proof;
import io.peerlink.protocol.handshake.Admission;
import io.peerlink.protocol.wire.Wire;
import io.peerlink.transport.internal.PipelineNames;
import io.peerlink.transport.testing.Frames;
import io.peerlink.transport.testing.RawPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HandshakeHandler} on embedded channels: the two-party happy path over linked channels, and every rejection
 * as seen by the side that rejects (the frame it writes, the listener call, the closed channel).
 */
class HandshakeHandlerTest {
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    final NodeIdentity local = NodeIdentity.generate();
    final NodeIdentity peer = NodeIdentity.generate();
    final NodeIdentity stranger = NodeIdentity.generate();
    final InMemoryTrustRegistry trust =
            new InMemoryTrustRegistry(Map.of(local.id(), Role.VALIDATOR, peer.id(), Role.VALIDATOR));
    final Admission admission = new Admission(trust, Role.VALIDATOR);
    final RawPeer mallory = new RawPeer(peer, Role.VALIDATOR, "10.0.0.2:7000");
    private final List<HandshakeChannel> channels = new ArrayList<>();

    HandshakeHandlerTest() {
        trust.subscribe(admission::onTrustChange);
    }

    @AfterEach
    void releaseAll() {
        channels.forEach(c -> c.channel.finishAndReleaseAll());
    }

    private HandshakeChannel side(NodeIdentity me, Direction direction) {
        Admission own = new Admission(trust, Role.VALIDATOR);
        trust.subscribe(own::onTrustChange);
        HandshakeChannel c = HandshakeChannel.of(
                HandshakeChannel.machine(me, Role.VALIDATOR, direction, me == local ? admission : own, null), TIMEOUT);
        channels.add(c);
        return c;
    }

    /** The node under test, accepting a connection. */
    private HandshakeChannel responder() {
        return side(local, Direction.INBOUND);
    }

    @Test
    void linkedChannelsAuthenticateEachOtherAndRemoveTheHandshakeStage() {
        HandshakeChannel initiator = side(peer, Direction.OUTBOUND);
        HandshakeChannel responder = responder();

        HandshakeChannel.interConnect(initiator, responder);

        assertThat(initiator.authenticated).isNotNull();
        assertThat(initiator.authenticated.id()).isEqualTo(local.id());
        assertThat(initiator.authenticated.role()).isEqualTo(Role.VALIDATOR);
        assertThat(initiator.authenticated.listenAddress()).isEqualTo(HandshakeChannel.ADDRESS);
        assertThat(responder.authenticated).isNotNull();
        assertThat(responder.authenticated.id()).isEqualTo(peer.id());
        for (HandshakeChannel side : List.of(initiator, responder)) {
            assertThat(side.failed).isNull();
            assertThat(side.outcomes).isEqualTo(1);
            // the same outcome is fired down the pipeline, once, after the promise completed
            assertThat(side.events()).hasSize(1);
            assertThat(side.events().get(0).isSuccess()).isTrue();
            assertThat(side.events().get(0).peer()).isEqualTo(side.authenticated);
            assertThat(side.channel.isOpen()).isTrue();
            assertThat(side.channel.pipeline().get(PipelineNames.HANDSHAKE)).isNull();
            assertThat(side.channel.pipeline().get(PipelineNames.FRAME_DECODER)).isNotNull();
        }
        // the cancelled deadline never fires
        initiator.advance(TIMEOUT.multipliedBy(2));
        responder.advance(TIMEOUT.multipliedBy(2));
        assertThat(initiator.channel.isOpen()).isTrue();
        assertThat(responder.channel.isOpen()).isTrue();
        assertThat(initiator.sent()).isEmpty();
    }

    @Test
    void elapsedTimeIsReadFromTheEventLoopsTickerSoItRunsInVirtualTime() {
        HandshakeChannel responder = responder();
        responder.receive(mallory.identify());
        List<Envelope> reply = responder.sent();
        // time is frozen on the embedded loop; only this advance passes, and it is all the handshake may report
        responder.advance(Duration.ofMillis(1234));
        responder.receive(mallory.initiatorProof(reply.get(0).getIdentify()));

        assertThat(responder.authenticated).isNotNull();
        assertThat(responder.events())
                .singleElement()
                .satisfies(done -> assertThat(done.elapsedNanos())
                        .isEqualTo(Duration.ofMillis(1234).toNanos()));
    }

    @Test
    void framesRightBehindTheLastProofReachTheNextStage() {
        HandshakeChannel responder = responder();
        responder.receive(mallory.identify());
        List<Envelope> reply = responder.sent();
        assertThat(reply)
                .extracting(Envelope::getBodyCase)
                .containsExactly(Envelope.BodyCase.IDENTIFY, Envelope.BodyCase.PROOF);

        // the final proof and the first application frame arrive in one read
        responder.receive(mallory.initiatorProof(reply.get(0).getIdentify()), Frames.ping(7));

        assertThat(responder.authenticated).isNotNull();
        Envelope next = responder.channel.readInbound();
        assertThat(next).isEqualTo(Frames.ping(7));
    }

    @Test
    void unknownNodeIdIsRejected() {
        HandshakeChannel responder = responder();
        responder.receive(new RawPeer(stranger, Role.VALIDATOR, "").identify());
        assertThat(responder.assertRejected(DisconnectReason.UNKNOWN_PEER).peer())
                .isEqualTo(stranger.id());
    }

    @Test
    void revokedNodeIdIsRejected() {
        trust.revoke(peer.id());
        HandshakeChannel responder = responder();
        responder.receive(mallory.identify());
        responder.assertRejected(DisconnectReason.REVOKED);
    }

    @Test
    void nodeRevokedBetweenIdentifyAndProofIsRejected() {
        HandshakeChannel responder = responder();
        responder.receive(mallory.identify());
        Identify theirs = responder.sent().get(0).getIdentify();
        trust.revoke(peer.id());
        responder.receive(mallory.initiatorProof(theirs));
        responder.assertRejected(DisconnectReason.REVOKED);
    }

    @Test
    void roleOtherThanTheRegisteredOneIsRejected() {
        HandshakeChannel responder = responder();
        responder.receive(RawPeer.wrap(mallory.identifyBuilder().setRole(Wire.toWire(Role.GATEWAY))));
        responder.assertRejected(DisconnectReason.ROLE_NOT_ALLOWED);
    }

    @Test
    void observerAcceptsNoInboundLinks() {
        HandshakeChannel observer = HandshakeChannel.of(
                HandshakeChannel.machine(
                        local, Role.OBSERVER, Direction.INBOUND, new Admission(trust, Role.OBSERVER), null),
                TIMEOUT);
        channels.add(observer);
        observer.receive(mallory.identify());
        observer.assertRejected(DisconnectReason.ROLE_NOT_ALLOWED);
    }

    @Test
    void proofThatDoesNotVerifyIsRejected() {
        HandshakeChannel responder = responder();
        responder.receive(mallory.identify());
        Identify theirs = responder.sent().get(0).getIdentify();
        byte[] signature =
                mallory.initiatorProof(theirs).getProof().getSignature().toByteArray();
        signature[5] ^= 0x01;
        responder.receive(RawPeer.proof(signature));
        assertThat(responder.assertRejected(DisconnectReason.BAD_SIGNATURE).peer())
                .isEqualTo(peer.id());
    }

    @Test
    void responderProofThatDoesNotVerifyIsRejectedByTheInitiator() {
        HandshakeChannel initiator = side(local, Direction.OUTBOUND);
        Identify hello = initiator.sent().get(0).getIdentify();
        // a signature the peer really made, but as an initiator: the purpose byte differs
        initiator.receive(mallory.identify(), mallory.initiatorProof(hello));
        initiator.assertRejected(DisconnectReason.BAD_SIGNATURE);
    }

    @Test
    void handRolledResponderWithARealSignatureIsAccepted() {
        HandshakeChannel initiator = side(local, Direction.OUTBOUND);
        Identify hello = initiator.sent().get(0).getIdentify();
        initiator.receive(mallory.identify(), mallory.responderProof(hello));
        assertThat(initiator.authenticated).isNotNull();
        assertThat(initiator.authenticated.id()).isEqualTo(peer.id());
        // and its own proof, the last frame of the handshake, verifies for the peer
        Envelope proof = initiator.sent().get(1);
        assertThat(proof.hasProof()).isTrue();
    }

    @Test
    void claimedIdNotMatchingTheKeyIsRejected() {
        HandshakeChannel responder = responder();
        responder.receive(
                RawPeer.wrap(mallory.identifyBuilder().setPublicKey(ByteString.copyFrom(stranger.publicKey()))));
        responder.assertRejected(DisconnectReason.ID_MISMATCH);
    }

    @Test
    void otherProtocolVersionIsRejected() {
        HandshakeChannel responder = responder();
        responder.receive(RawPeer.wrap(mallory.identifyBuilder().setProtocolVersion(Defaults.PROTOCOL_VERSION + 1)));
        responder.assertRejected(DisconnectReason.PROTOCOL_VERSION);
    }

    @Test
    void challengeShorterThanSixteenBytesIsRejected() {
        HandshakeChannel responder = responder();
        responder.receive(RawPeer.wrap(mallory.identifyBuilder().setChallenge(ByteString.copyFrom(new byte[15]))));
        responder.assertRejected(DisconnectReason.BAD_CHALLENGE);
    }

    @Test
    void challengeReflectedToTheInitiatorIsRejected() {
        HandshakeChannel initiator = side(local, Direction.OUTBOUND);
        Identify hello = initiator.sent().get(0).getIdentify();
        initiator.receive(RawPeer.wrap(mallory.identifyBuilder().setChallenge(hello.getChallenge())));
        initiator.assertRejected(DisconnectReason.BAD_CHALLENGE);
    }

    @Test
    void silentPeerIsRejectedAtTheDeadline() {
        HandshakeChannel responder = responder();
        responder.advance(TIMEOUT.minusMillis(1));
        assertThat(responder.waiting()).isTrue();
        responder.advance(Duration.ofMillis(1));
        responder.assertRejected(DisconnectReason.HANDSHAKE_TIMEOUT);
    }

    @Test
    void bytesDribbledOneAtATimeDoNotExtendTheDeadline() {
        HandshakeChannel responder = responder();
        byte[] hello = Frames.encode(mallory.identify());
        Duration step = TIMEOUT.dividedBy(20);
        assertThat(hello.length).isGreaterThan(20);
        int written = 0;
        while (written < hello.length && responder.channel.isOpen()) {
            responder.receiveBytes(new byte[] {hello[written++]});
            responder.advance(step);
        }
        // each byte was "activity", yet the deadline stayed where it was: twenty steps after the start
        assertThat(written).isEqualTo(20);
        responder.assertRejected(DisconnectReason.HANDSHAKE_TIMEOUT);
    }

    @Test
    void garbageFrameIsRejectedAsMalformed() {
        HandshakeChannel responder = responder();
        responder.receiveBytes(Frames.frame(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));
        responder.assertRejected(DisconnectReason.MALFORMED_FRAME);
    }

    @Test
    void lengthPrefixLongerThanFiveBytesIsRejectedAsMalformed() {
        HandshakeChannel responder = responder();
        byte[] prefix = new byte[6];
        Arrays.fill(prefix, (byte) 0x80);
        responder.receiveBytes(prefix);
        responder.assertRejected(DisconnectReason.MALFORMED_FRAME);
    }

    @Test
    void frameAboveTheHandshakeLimitIsRefusedBeforeItsPayloadArrives() {
        HandshakeChannel responder = responder();
        ByteBuf prefixOnly = Unpooled.wrappedBuffer(Frames.varint(Defaults.HANDSHAKE_FRAME_BYTES + 1));
        responder.channel.writeInbound(prefixOnly);
        responder.assertRejected(DisconnectReason.FRAME_TOO_LARGE);
        assertThat(prefixOnly.refCnt()).isZero();
    }

    @Test
    void pingBeforeIdentifyIsRejectedAsUnexpected() {
        HandshakeChannel responder = responder();
        responder.receive(Frames.ping(1));
        responder.assertRejected(DisconnectReason.UNEXPECTED_MESSAGE);
    }

    @Test
    void proofBeforeIdentifyIsRejectedAsUnexpected() {
        HandshakeChannel responder = responder();
        responder.receive(
                Envelope.newBuilder().setProof(Proof.getDefaultInstance()).build());
        responder.assertRejected(DisconnectReason.UNEXPECTED_MESSAGE);
    }

    @Test
    void messageOfUnknownKindIsRejectedAsUnexpectedDuringTheHandshake() {
        HandshakeChannel responder = responder();
        responder.receive(Envelope.getDefaultInstance());
        responder.assertRejected(DisconnectReason.UNEXPECTED_MESSAGE);
    }

    @Test
    void secondIdentifyIsRejectedAsUnexpected() {
        HandshakeChannel responder = responder();
        responder.receive(mallory.identify(), mallory.identify());
        responder.assertRejected(DisconnectReason.UNEXPECTED_MESSAGE);
    }

    @Test
    void disconnectFromThePeerEndsTheHandshakeWithoutAnAnswer() {
        HandshakeChannel initiator = side(local, Direction.OUTBOUND);
        assertThat(initiator.sent()).hasSize(1);
        initiator.receive(Wire.disconnect(DisconnectReason.TOO_MANY_CONNECTIONS, "busy"));
        initiator.channel.runPendingTasks();
        assertThat(initiator.failed).isNotNull();
        assertThat(initiator.failed.reason()).isEqualTo(DisconnectReason.TOO_MANY_CONNECTIONS);
        assertThat(initiator.failed.byPeer()).isTrue();
        assertThat(initiator.sent()).hasSize(1);
        assertThat(initiator.channel.isOpen()).isFalse();
    }

    /**
     * Regression (found by HandshakePipelineFuzzTest): a bad frame right behind a rejected message, in the same
     * read, raised a second exception after the handshake had failed; the handler passed it on to the pipeline
     * tail, where Netty logs every one at WARN: peer-triggered log spam.
     */
    @Test
    void decodeErrorsBehindARejectedMessageInTheSameReadAreAbsorbed() {
        HandshakeChannel responder = responder();
        byte[] malformedPrefix = {(byte) 0xE1, (byte) 0xE1, (byte) 0xE1, (byte) 0xE1, (byte) 0xE1, (byte) 0xE1};
        byte[] read = Frames.encode(Frames.ping(1));
        read = Arrays.copyOf(read, read.length + malformedPrefix.length);
        System.arraycopy(malformedPrefix, 0, read, read.length - malformedPrefix.length, malformedPrefix.length);

        responder.receiveBytes(read); // EmbeddedChannel rethrows anything that reaches the tail

        responder.assertRejected(DisconnectReason.UNEXPECTED_MESSAGE);
    }

    @Test
    void unparsableFramesBehindARejectedMessageInTheSameReadAreAbsorbed() {
        HandshakeChannel responder = responder();
        byte[] garbage = Frames.frame(new byte[] {(byte) 0xFF, (byte) 0xFF});
        responder.receiveBytes(concat(Frames.encode(Frames.ping(1)), garbage, garbage, garbage));
        responder.assertRejected(DisconnectReason.UNEXPECTED_MESSAGE);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
