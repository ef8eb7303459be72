package io.peerlink.transport.internal;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.peerlink.core.Connection;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.proto.v1.AppMessage;
import io.peerlink.proto.v1.PeerExchangeRequest;
import io.peerlink.proto.v1.PeerExchangeResponse;
import io.peerlink.protocol.handshake.PeerInfo;
import io.peerlink.transport.InboundMessage;
import io.peerlink.transport.internal.codec.BoundedVarint32FrameDecoder;
import io.peerlink.transport.internal.handshake.HandshakeCompletionEvent;
import io.peerlink.transport.internal.handshake.HandshakeHandler;
import io.peerlink.transport.internal.heartbeat.HeartbeatHandler;
import io.peerlink.transport.internal.link.LinkHandler;
import io.peerlink.transport.internal.link.PeerLink;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stage of a link after its handshake. When the handshake's own promise completes (see
 * {@link HandshakeHandler#handshakeFuture()}), it has the {@link LinkRegistry} register the link, installs the
 * application stage behind the handshake handler (idle detection, heartbeat, {@link LinkHandler}), completes the
 * link's {@link PeerLink#established()} promise and starts peer exchange; a failed handshake goes to the registry.
 * Afterwards it routes the link's traffic: application messages to the {@link InboundQueue}, peer exchange to
 * {@link PeerExchanges}, and the close to the registry and, for a validator link that was not replaced, to the mesh
 * through the {@link MeshFeed}. Everything here runs on the link's event loop.
 *
 * <pre>{@code
 * HandshakeHandler handshake = new HandshakeHandler(machine, crypto, timeout, tls);
 * pipeline.addLast(PipelineNames.HANDSHAKE, handshake);
 * stage.await(link, handshake);
 * }</pre>
 */
final class LinkStage implements LinkHandler.Events {
    private static final Logger log = LoggerFactory.getLogger(LinkStage.class);

    private final NodeConfig config;
    private final boolean tls;
    private final LinkRegistry registry;
    private final InboundQueue inbound;
    private final PeerExchanges exchanges;
    private final MeshFeed feed;

    LinkStage(
            NodeConfig config,
            boolean tls,
            LinkRegistry registry,
            InboundQueue inbound,
            PeerExchanges exchanges,
            MeshFeed feed) {
        this.config = config;
        this.tls = tls;
        this.registry = registry;
        this.inbound = inbound;
        this.exchanges = exchanges;
        this.feed = feed;
    }

    /**
     * Registers {@code link} when {@code handshake} ends. The promise, not the pipeline event, is what counts here:
     * a handshake whose socket closed while its crypto ran ends after the pipeline is gone, and its pending slot
     * must still be given back.
     */
    void await(PeerLink link, HandshakeHandler handshake) {
        // completed on the event loop, where this then runs at once (a completion stage would swallow a throw)
        handshake.handshakeFuture().thenAccept(done -> {
            try {
                completed(link, done);
            } catch (RuntimeException e) {
                log.error("registering link {} failed", link, e);
                link.disconnectNow(DisconnectReason.INTERNAL_ERROR, e.getClass().getSimpleName());
            }
        });
    }

    private void completed(PeerLink link, HandshakeCompletionEvent done) {
        PeerInfo peer = done.peer();
        if (peer == null) {
            registry.onFailed(link, Objects.requireNonNull(done.reject()));
            return;
        }
        Connection connection = registry.onAuthenticated(link, peer, done.elapsedNanos());
        if (connection == null) {
            return; // a duplicate or over a limit: closing, its promise already completed
        }
        install(link);
        link.established().complete(connection);
        exchanges.onConnected(link, connection);
    }

    /** Installs the application stage behind the handshake handler and lifts the frame limit. */
    private void install(PeerLink link) {
        ChannelPipeline p = link.channel().pipeline();
        BoundedVarint32FrameDecoder frames = p.get(BoundedVarint32FrameDecoder.class);
        if (frames != null) {
            frames.maxFrameBytes(config.limits().maxFrameBytes());
        }
        // flush consolidation only pays for replies written during a read (pongs); during the handshake every step
        // already ends in one flush. Application frames are batched by the link's outbound queue, so flushes
        // outside a read go out at once rather than after yet another event loop task (consolidateWhenNoRead false)
        if (tls) {
            p.addAfter(PipelineNames.TLS, PipelineNames.FLUSH, new FlushConsolidationHandler(256, false));
        } else {
            p.addFirst(PipelineNames.FLUSH, new FlushConsolidationHandler(256, false));
        }
        long bound = config.heartbeat().detectionBound().toNanos();
        p.addLast(PipelineNames.IDLE, new IdleStateHandler(bound, 0, 0, TimeUnit.NANOSECONDS));
        p.addLast(
                PipelineNames.HEARTBEAT,
                new HeartbeatHandler(link, config.heartbeat().interval()));
        p.addLast(
                PipelineNames.LINK,
                new LinkHandler(link, this, config.heartbeat().detectionBound()));
    }

    @Override
    public void onApplication(PeerLink link, AppMessage message) {
        Connection from = link.connection();
        if (from != null) {
            inbound.deliver(link, new InboundMessage(from.peer(), message.getProtocol(), message.getPayload()));
        }
    }

    @Override
    public void onPeerExchangeRequest(PeerLink link, PeerExchangeRequest request) {
        exchanges.onRequest(link, request);
    }

    @Override
    public void onPeerExchangeResponse(PeerLink link, PeerExchangeResponse response) {
        exchanges.onResponse(link, response);
    }

    @Override
    public void onClosed(PeerLink link) {
        registry.onClosed(link);
        Connection c = link.connection();
        if (c != null && c.role().isValidator() && !link.superseded()) {
            feed.validatorLinkClosed(c); // an attached gateway or observer fails over now, not at the next tick
        }
    }
}
