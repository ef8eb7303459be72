package io.peerlink.transport.internal.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import io.peerlink.core.Connection;
import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.Pong;
import io.peerlink.transport.TransportObserver;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-link owner on an {@link EmbeddedChannel}: registration once, the first close reason, answers. */
class PeerLinkTest {
    private static final PeerAddress DIALED = new PeerAddress("10.0.0.7", 7000);

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final PeerLink link = new PeerLink(
            channel, Direction.OUTBOUND, DIALED, null, false, TransportObserver.NOOP, new CompletableFuture<>());

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    private static Connection connection() {
        return new Connection(
                NodeId.of(new byte[NodeId.LENGTH_BYTES]),
                Role.VALIDATOR,
                DIALED,
                DIALED,
                Direction.OUTBOUND,
                Instant.EPOCH,
                "link-1",
                1);
    }

    private static Envelope pong() {
        return Envelope.newBuilder().setPong(Pong.newBuilder().setNonce(1)).build();
    }

    @Test
    void registrationSetsTheConnectionAndMakesTheSendQueueOnce() {
        assertThat(link.connection()).isNull();
        assertThat(link.outbound()).isNull();
        Connection c = connection();
        link.register(c);
        assertThat(link.connection()).isSameAs(c);
        assertThat(link.outbound()).isNotNull();
        assertThatThrownBy(() -> link.register(connection())).isInstanceOf(IllegalStateException.class);
        assertThat(link.connection()).isSameAs(c);
    }

    @Test
    void theFirstCloseReasonWinsAndTheDisconnectFrameLeavesFirst() {
        link.disconnect(DisconnectReason.REVOKED, "trust file changed");
        link.closeNow(DisconnectReason.CONNECTION_CLOSED, "reset", true);
        assertThat(link.closeReason()).isEqualTo(DisconnectReason.REVOKED);
        assertThat(link.closeDetail()).isEqualTo("trust file changed");
        assertThat(link.closedByPeer()).isFalse();
        assertThat(link.closingLocally()).isTrue();
        Envelope sent = channel.readOutbound();
        assertThat(sent.getDisconnect().getReason()).isEqualTo(DisconnectReason.REVOKED.code());
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void answersAreDroppedWhileThePeerDoesNotReadAndTheLinkClosesAsSlowPeerAfterTheLimit() {
        link.answer(channel, pong());
        assertThat((Object) channel.readOutbound()).isNotNull();
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        for (int i = 0; i < PeerLink.MAX_UNANSWERED; i++) {
            link.answer(channel, pong());
        }
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.isOpen()).isTrue();
        assertThat(link.closeReason()).isNull();

        link.answer(channel, pong()); // one more in a row: the peer asks but never reads
        assertThat(link.closeReason()).isEqualTo(DisconnectReason.SLOW_PEER);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void anAnswerThatLeavesResetsTheCountOfDroppedOnes() {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        for (int i = 0; i < PeerLink.MAX_UNANSWERED; i++) {
            link.answer(channel, pong());
        }
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        link.answer(channel, pong());
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        for (int i = 0; i < PeerLink.MAX_UNANSWERED; i++) {
            link.answer(channel, pong());
        }
        assertThat(link.closeReason()).isNull();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void pausingAndResumingReadingTurnsAutoReadOffAndOnOnce() {
        assertThat(link.readPaused()).isFalse();
        link.pauseReading();
        link.pauseReading();
        assertThat(link.readPaused()).isTrue();
        assertThat(channel.config().isAutoRead()).isFalse();
        link.resumeReading();
        assertThat(link.readPaused()).isFalse();
        assertThat(channel.config().isAutoRead()).isTrue();
    }
}
