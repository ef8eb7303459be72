package io.peerlink.transport.internal.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.identity.Verifier;
import io.peerlink.core.trust.InMemoryTrustRegistry;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.protocol.handshake.Admission;
import io.peerlink.protocol.handshake.Handshake;
import io.peerlink.protocol.handshake.HandshakeSettings;
import io.peerlink.protocol.handshake.LocalPeer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Arbitrary bytes, in chunks of varying size, into a responder's handshake pipeline: no exception escapes while
 * the handshake runs, and every run ends in one of three ways: authenticated (only {@link #PEER}, with a valid
 * proof), closed after writing a {@code Disconnect} with a known reason (or, if the peer sent one, closed without
 * answering), or still waiting, in which case the deadline closes it with {@code HANDSHAKE_TIMEOUT}.
 *
 * <p>Input layout: the byte stream, then one byte shaping the chunk sizes. Keys and the responder's challenge are
 * fixed so that recorded handshakes in the seed corpus ({@code HandshakePipelineFuzzTestInputs/responder/}, written
 * by {@link TransportFuzzSeedsTest}) stay valid. {@code JAZZER_FUZZ=1} fuzzes.
 */
class HandshakePipelineFuzzTest {
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final NodeIdentity LOCAL = NodeIdentity.fromPrivateKey(filled(32, 0x01));
    static final NodeIdentity PEER = NodeIdentity.fromPrivateKey(filled(32, 0x02));
    static final NodeIdentity STRANGER = NodeIdentity.fromPrivateKey(filled(32, 0x03));
    static final String PEER_ADDRESS = "10.2.2.2:7000";
    static final InMemoryTrustRegistry TRUST =
            new InMemoryTrustRegistry(Map.of(LOCAL.id(), Role.VALIDATOR, PEER.id(), Role.VALIDATOR));

    @FuzzTest(maxDuration = "60s")
    void responder(FuzzedDataProvider data) {
        int shape = data.consumeByte() & 0xFF;
        byte[] stream = data.consumeRemainingAsBytes();
        HandshakeChannel responder = HandshakeChannel.of(responderMachine(), TIMEOUT);
        try {
            int at = 0;
            for (int i = 0; at < stream.length && responder.channel.isOpen(); i++) {
                int size = Math.min(stream.length - at, 1 + ((shape + 1) * (i + 3) * 17) % 48);
                byte[] chunk = Arrays.copyOfRange(stream, at, at + size);
                at += size;
                try {
                    responder.receiveBytes(chunk);
                } catch (DecoderException e) {
                    // only the application stage, not installed here, may see decoder errors
                    assertThat(responder.authenticated)
                            .as("decoder error escaped the handshake: %s", e)
                            .isNotNull();
                }
                Object msg;
                while ((msg = responder.channel.readInbound()) != null) {
                    assertThat(responder.authenticated)
                            .as("frame passed on before authentication")
                            .isNotNull();
                    ReferenceCountUtil.release(msg);
                }
            }
            if (responder.waiting()) {
                responder.advance(TIMEOUT);
                assertThat(responder.assertRejected(DisconnectReason.HANDSHAKE_TIMEOUT))
                        .isNotNull();
            }
            check(responder);
        } finally {
            responder.channel.finishAndReleaseAll();
        }
    }

    private static void check(HandshakeChannel responder) {
        assertThat(responder.outcomes).isEqualTo(1);
        List<Envelope> sent = responder.sent();
        if (responder.authenticated != null) {
            assertThat(responder.authenticated.id()).isEqualTo(PEER.id());
            assertThat(responder.channel.isOpen()).isTrue();
            assertThat(sent).noneMatch(Envelope::hasDisconnect);
            return;
        }
        assertThat(responder.failed).isNotNull();
        assertThat(responder.channel.isOpen()).isFalse();
        if (responder.failed.byPeer()) {
            assertThat(sent).noneMatch(Envelope::hasDisconnect);
            return;
        }
        DisconnectReason reason = responder.failed.reason();
        assertThat(reason).isNotIn(DisconnectReason.UNKNOWN, DisconnectReason.INTERNAL_ERROR);
        assertThat(sent).isNotEmpty();
        Envelope last = sent.get(sent.size() - 1);
        assertThat(last.hasDisconnect()).isTrue();
        assertThat(DisconnectReason.fromCode(last.getDisconnect().getReason())).isEqualTo(reason);
    }

    /** The node under test: {@link #LOCAL} accepting, with a fixed challenge. */
    static Handshake responderMachine() {
        return new Handshake(
                // a fixed incarnation: the seeds' initiator proofs sign it
                LocalPeer.of(LOCAL, Role.VALIDATOR, HandshakeChannel.ADDRESS, 1, 1_700_000_000_001L),
                Direction.INBOUND,
                new Admission(TRUST, Role.VALIDATOR),
                Verifier.ED25519,
                HandshakeSettings.defaults(),
                fixedRandom(0x22),
                null);
    }

    static PeerAddress peerAddress() {
        return PeerAddress.parse(PEER_ADDRESS);
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

    static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
