package io.peerlink.transport.internal.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.config.Defaults;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.identity.Verifier;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.protocol.handshake.Admission;
import io.peerlink.protocol.handshake.Handshake;
import io.peerlink.protocol.handshake.HandshakeSettings;
import io.peerlink.protocol.handshake.LocalPeer;
import io.peerlink.protocol.handshake.PeerInfo;
import io.peerlink.protocol.handshake.Step;
import io.peerlink.transport.internal.PipelineNames;
import io.peerlink.transport.internal.codec.BoundedVarint32FrameDecoder;
import io.peerlink.transport.internal.codec.EnvelopeEncoder;
import io.peerlink.transport.testing.Frames;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One side of a handshake on an {@link EmbeddedChannel} with frozen time, built as {@code ChannelSetup} builds it
 * (frame decoder, envelope decoder and encoder, {@link HandshakeHandler} with the inline executor), plus a handler
 * behind it that records the {@link HandshakeCompletionEvent}s fired down the pipeline; the outcome itself is taken
 * from the handler's own {@link HandshakeHandler#handshakeFuture()}, as {@code LinkStage} takes it.
 *
 * <pre>{@code
 * HandshakeChannel responder = HandshakeChannel.of(machine, Duration.ofSeconds(2));
 * responder.receive(mallory.identify());
 * responder.assertRejected(DisconnectReason.UNKNOWN_PEER);
 * }</pre>
 */
final class HandshakeChannel {
    static final PeerAddress ADDRESS = new PeerAddress("10.9.9.9", 7000);

    final EmbeddedChannel channel;
    private final HandshakeHandler handler;
    final Handshake machine;

    @Nullable
    PeerInfo authenticated;

    Step.@Nullable Reject failed;
    int outcomes;
    private final List<HandshakeCompletionEvent> events = new ArrayList<>();
    /** Frames this side wrote so far (drained from the channel by {@link #sent()}). */
    private final List<Envelope> sent = new ArrayList<>();

    private HandshakeChannel(Handshake machine, Duration timeout, java.util.concurrent.Executor crypto) {
        this.machine = machine;
        this.channel = new EmbeddedChannel();
        this.handler = new HandshakeHandler(machine, crypto, timeout);
        channel.freezeTime();
        channel.pipeline()
                .addLast(
                        PipelineNames.FRAME_DECODER,
                        BoundedVarint32FrameDecoder.envelopes(Defaults.HANDSHAKE_FRAME_BYTES))
                .addLast(PipelineNames.ENVELOPE_ENCODER, EnvelopeEncoder.INSTANCE)
                .addLast(PipelineNames.HANDSHAKE, handler)
                .addLast("test.events", new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        if (evt instanceof HandshakeCompletionEvent done) {
                            events.add(done);
                        }
                        ctx.fireUserEventTriggered(evt);
                    }
                });
        handler.handshakeFuture().thenAccept(this::completed);
    }

    static HandshakeChannel of(Handshake machine, Duration timeout) {
        return new HandshakeChannel(machine, timeout, HandshakeHandler.INLINE);
    }

    /** With signature work handed to {@code crypto} (results come back as tasks on the channel's event loop). */
    static HandshakeChannel of(Handshake machine, Duration timeout, java.util.concurrent.Executor crypto) {
        return new HandshakeChannel(machine, timeout, crypto);
    }

    /** A machine for {@code me} that admits peers through {@code admission}. */
    static Handshake machine(
            NodeIdentity me, Role role, Direction direction, Admission admission, @Nullable NodeId expected) {
        return new Handshake(
                LocalPeer.of(me, role, ADDRESS),
                direction,
                admission,
                Verifier.ED25519,
                HandshakeSettings.defaults(),
                new SecureRandom(),
                expected);
    }

    private void completed(HandshakeCompletionEvent done) {
        outcomes++;
        // the promise is completed before the event is fired down the pipeline
        assertThat(events).isEmpty();
        if (done.isSuccess()) {
            authenticated = done.peer();
        } else {
            failed = done.reject();
        }
    }

    /**
     * The completion events that reached the handler behind the handshake: the promise's outcome, unless the
     * pipeline was already torn down when the handshake ended.
     */
    List<HandshakeCompletionEvent> events() {
        return List.copyOf(events);
    }

    void receive(Envelope... envelopes) {
        receiveBytes(Frames.encode(envelopes));
    }

    void receiveBytes(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    /** Every frame written so far. */
    List<Envelope> sent() {
        sent.addAll(Frames.drainOutbound(channel));
        return List.copyOf(sent);
    }

    /** Moves time forward on the frozen ticker and runs what became due. */
    void advance(Duration d) {
        channel.advanceTimeBy(d.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        channel.runPendingTasks();
    }

    boolean waiting() {
        return channel.isOpen() && outcomes == 0;
    }

    /**
     * The handshake failed for {@code reason}: the listener heard it once, the last frame written is a
     * {@code Disconnect} with its code, and the channel is closed.
     */
    Step.Reject assertRejected(DisconnectReason reason) {
        channel.runPendingTasks();
        assertThat(failed).as("listener told of a failure").isNotNull();
        assertThat(failed.reason()).as("reason (detail: %s)", failed.detail()).isEqualTo(reason);
        assertThat(failed.byPeer()).isFalse();
        assertThat(outcomes).isEqualTo(1);
        List<Envelope> frames = sent();
        assertThat(frames).as("frames written").isNotEmpty();
        Envelope last = frames.get(frames.size() - 1);
        assertThat(last.hasDisconnect())
                .as("last frame %s is a Disconnect", last.getBodyCase())
                .isTrue();
        assertThat(last.getDisconnect().getReason()).isEqualTo(reason.code());
        assertThat(last.getDisconnect().getDetail()).isEqualTo(failed.detail());
        assertThat(frames.stream().filter(Envelope::hasDisconnect)).hasSize(1);
        assertThat(channel.isOpen()).as("channel closed").isFalse();
        return failed;
    }

    /** Writes everything each side sent into the other, until both are quiet; bounded. */
    static void interConnect(HandshakeChannel a, HandshakeChannel b) {
        for (int round = 0; round < 8; round++) {
            boolean moved = move(a, b) | move(b, a);
            if (!moved) {
                return;
            }
        }
        throw new AssertionError("the two sides kept talking for 8 rounds");
    }

    private static boolean move(HandshakeChannel from, HandshakeChannel to) {
        boolean moved = false;
        Object msg;
        while ((msg = from.channel.readOutbound()) != null) {
            moved = true;
            if (to.channel.isOpen()) {
                to.channel.writeInbound(msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }
        return moved;
    }
}
