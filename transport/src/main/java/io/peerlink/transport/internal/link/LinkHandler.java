package io.peerlink.transport.internal.link;

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
 * pipeline.addLast(PipelineNames.LINK, new LinkHandler(link, events, detectionBound));
 * }</pre>
 */
public final class LinkHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(LinkHandler.class);

    /** What the engine does with link traffic; called on the channel's event loop. */
    public interface Events {
        void onPeerExchangeRequest(PeerLink link, PeerExchangeRequest request);

        void onPeerExchangeResponse(PeerLink link, PeerExchangeResponse response);

        void onApplication(PeerLink link, AppMessage message);

        /** The link closed; its send queue is already failed and its inbound backlog dropped. */
        void onClosed(PeerLink link);
    }

    private final PeerLink link;
    private final Events events;
    private final String detectionBound;

    public LinkHandler(PeerLink link, Events events, java.time.Duration detectionBound) {
        this.link = Objects.requireNonNull(link, "link");
        this.events = Objects.requireNonNull(events, "events");
        this.detectionBound = detectionBound.toMillis() + " ms";
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Envelope env)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (link.closingLocally()) {
            return; // we said goodbye; only the peer's close matters now
        }
        switch (env.getBodyCase()) {
            case APP -> events.onApplication(link, env.getApp());
            case PEER_EXCHANGE_REQUEST -> events.onPeerExchangeRequest(link, env.getPeerExchangeRequest());
            case PEER_EXCHANGE_RESPONSE -> events.onPeerExchangeResponse(link, env.getPeerExchangeResponse());
            case DISCONNECT ->
                link.closeNow(
                        DisconnectReason.fromCode(env.getDisconnect().getReason()),
                        env.getDisconnect().getDetail(),
                        true);
            case IDENTIFY, PROOF ->
                link.disconnect(DisconnectReason.UNEXPECTED_MESSAGE, env.getBodyCase() + " after the handshake");
            default -> {
                // PING/PONG are consumed by the heartbeat handler; unknown kinds are ignored on purpose
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (link.readPaused()) {
                return; // silence is our own doing: reading is paused until the application catches up
            }
            // the peer is silent, so it would not read a graceful goodbye either: close at once, so the loss is
            // published within the detection bound rather than after the goodbye grace
            link.disconnectNow(DisconnectReason.HEARTBEAT_TIMEOUT, "nothing received for " + detectionBound);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        link.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof FrameException frame) {
            link.disconnect(frame.reason(), String.valueOf(frame.getMessage()));
        } else if (cause instanceof IOException) {
            link.closeNow(DisconnectReason.CONNECTION_CLOSED, String.valueOf(cause.getMessage()), false);
        } else {
            log.error("internal error on link {}", ctx.channel(), cause);
            link.disconnect(DisconnectReason.INTERNAL_ERROR, cause.getClass().getSimpleName());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        link.closed();
        events.onClosed(link);
        ctx.fireChannelInactive();
    }
}
