package io.peerlink.transport.internal.link;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.peerlink.core.DisconnectReason;
import io.peerlink.proto.v1.AppMessage;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.PeerExchangeRequest;
import io.peerlink.proto.v1.PeerExchangeResponse;
import io.peerlink.transport.internal.codec.FrameException;
import java.io.IOException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application stage of an authenticated link: records a peer's {@code Disconnect}, closes a silent link as
 * lost, turns bad frames into a disconnect with a reason, and hands peer exchange and application messages to the
 * engine. Messages of a kind this version does not know are ignored (forward compatibility).
 *
 * <pre>{@code
 * pipeline.addLast(PipelineNames.LINK, new LinkHandler(events));
 * }</pre>
 */
public final class LinkHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(LinkHandler.class);

    /** What the engine does with link traffic; called on the channel's event loop. */
    public interface Events {
        void onPeerExchangeRequest(Channel channel, PeerExchangeRequest request);

        void onPeerExchangeResponse(Channel channel, PeerExchangeResponse response);

        void onApplication(Channel channel, AppMessage message);

        void onWritabilityChanged(Channel channel);

        void onClosed(Channel channel);
    }

    private final Events events;
    private final String detectionBound;

    public LinkHandler(Events events, java.time.Duration detectionBound) {
        this.events = Objects.requireNonNull(events, "events");
        this.detectionBound = detectionBound.toMillis() + " ms";
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Envelope env)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        LinkState state = LinkState.of(ctx.channel());
        if (state.closingLocally()) {
            return; // we said goodbye; only the peer's close matters now
        }
        switch (env.getBodyCase()) {
            case APP -> events.onApplication(ctx.channel(), env.getApp());
            case PEER_EXCHANGE_REQUEST -> events.onPeerExchangeRequest(ctx.channel(), env.getPeerExchangeRequest());
            case PEER_EXCHANGE_RESPONSE -> events.onPeerExchangeResponse(ctx.channel(), env.getPeerExchangeResponse());
            case DISCONNECT -> {
                state.markClosing(
                        DisconnectReason.fromCode(env.getDisconnect().getReason()),
                        env.getDisconnect().getDetail(),
                        true);
                ctx.close();
            }
            case IDENTIFY, PROOF ->
                LinkState.disconnect(
                        ctx.channel(), DisconnectReason.UNEXPECTED_MESSAGE, env.getBodyCase() + " after the handshake");
            default -> {
                // PING/PONG are consumed by the heartbeat handler; unknown kinds are ignored on purpose
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (LinkState.of(ctx.channel()).readPaused()) {
                return; // silence is our own doing: reading is paused until the application catches up
            }
            // the peer is silent, so it would not read a graceful goodbye either: close at once, so the loss is
            // published within the detection bound rather than after the goodbye grace
            LinkState.disconnectNow(
                    ctx.channel(), DisconnectReason.HEARTBEAT_TIMEOUT, "nothing received for " + detectionBound);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        events.onWritabilityChanged(ctx.channel());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof FrameException frame) {
            LinkState.disconnect(ctx.channel(), frame.reason(), String.valueOf(frame.getMessage()));
        } else if (cause instanceof IOException) {
            LinkState.of(ctx.channel())
                    .markClosing(DisconnectReason.CONNECTION_CLOSED, String.valueOf(cause.getMessage()), false);
            ctx.close();
        } else {
            log.error("internal error on link {}", ctx.channel(), cause);
            LinkState.disconnect(
                    ctx.channel(),
                    DisconnectReason.INTERNAL_ERROR,
                    cause.getClass().getSimpleName());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        events.onClosed(ctx.channel());
        ctx.fireChannelInactive();
    }
}
