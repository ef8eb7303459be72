package io.peerlink.transport.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerlinkException;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.identity.Verifier;
import io.peerlink.protocol.handshake.Admission;
import io.peerlink.protocol.handshake.Handshake;
import io.peerlink.protocol.handshake.HandshakeSettings;
import io.peerlink.protocol.handshake.LocalPeer;
import io.peerlink.protocol.wire.Wire;
import io.peerlink.transport.TransportObserver;
import io.peerlink.transport.internal.codec.BoundedVarint32FrameDecoder;
import io.peerlink.transport.internal.codec.EnvelopeEncoder;
import io.peerlink.transport.internal.handshake.HandshakeHandler;
import io.peerlink.transport.internal.heartbeat.HeartbeatHandler;
import io.peerlink.transport.internal.link.LinkHandler;
import io.peerlink.transport.internal.link.LinkState;
import io.peerlink.transport.internal.link.OutboundQueue;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Builds channel pipelines (see {@link PipelineNames} for the order): the handshake stage for every new channel,
 * and the application stage once the peer is authenticated. Enforces the per-IP connection rate and the
 * pending-handshake limits at accept time, before any TLS work; a connection those limits refuse may still take a
 * handshake slot kept for validators ({@link ConnectionLimits#tryReserve}), and its handshake then admits trusted
 * validators only ({@link Admission#validatorsOnly}).
 */
public final class ChannelSetup {
    private final NodeConfig config;
    private final Admission admission;
    /** The admission of connections in the handshake slots reserved for validators. */
    private final Admission validatorsOnly;

    private final HandshakeSettings settings;
    private final Supplier<LocalPeer> local;
    private final Executor crypto;
    private final LinkRegistry registry;
    private final ConnectionLimits limits;
    private final TransportObserver observer;
    private final TrafficCounter traffic;
    private final MessageCounter messages;
    /**
     * Challenge randomness, one generator per event loop thread: the default {@code NativePRNG} instances all share
     * one lock, which every accept and dial of every event loop would take.
     */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(ChannelSetup::newRandom);

    private final io.netty.channel.group.ChannelGroup channels =
            new io.netty.channel.group.DefaultChannelGroup(io.netty.util.concurrent.GlobalEventExecutor.INSTANCE);
    private LinkHandler.@Nullable Events linkEvents;
    private final io.peerlink.transport.internal.tls.@Nullable TlsContexts tls;

    public ChannelSetup(
            NodeConfig config,
            Admission admission,
            HandshakeSettings settings,
            Supplier<LocalPeer> local,
            Executor crypto,
            LinkRegistry registry,
            ConnectionLimits limits,
            TransportObserver observer,
            io.peerlink.transport.internal.tls.@Nullable TlsContexts tls) {
        this.tls = tls;
        this.config = config;
        this.admission = admission;
        this.validatorsOnly =
                admission.validatorsOnly("max_pending_handshakes reached (the slots left are kept for validators)");
        this.settings = settings;
        this.local = local;
        this.crypto = crypto;
        this.registry = registry;
        this.limits = limits;
        this.observer = observer;
        this.traffic = new TrafficCounter(observer);
        this.messages = new MessageCounter(observer);
        registry.channelSetup(this);
        // The JVM's DRBG seeder reads the system entropy source (a blocking file read) the first time any DRBG is
        // instantiated; do it here, on the caller's thread, so that no event loop ever waits on /dev/random
        // (BlockHound found it in the integration tests). Later per-thread generators seed from the seeder, in memory.
        RANDOM.get().nextBytes(new byte[16]);
    }

    public void linkEvents(LinkHandler.Events events) {
        this.linkEvents = events;
    }

    /**
     * Initializer for accepted channels. The connection is metered and counted against the pending-handshake limits
     * before anything else is set up, so a refused one costs no TLS engine and no handshake state.
     */
    public ChannelHandler inbound() {
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                InetAddress ip = ip(ch);
                LinkState state = new LinkState(Direction.INBOUND, null, null);
                ch.attr(LinkState.KEY).set(state);
                channels.add(ch);
                String refused =
                        limits.tryBeginInbound(ip, ch.eventLoop().ticker().nanoTime());
                if (refused != null) {
                    if (refused.equals("handshake_rate_per_ip") || !limits.tryReserve(ip)) {
                        refuse(ch, state, refused);
                        return;
                    }
                    // a slot kept for trusted validators: the handshake refuses anyone else as soon as it identifies
                    state.reserved(true);
                }
                addCodec(ch.pipeline(), false);
                addHandshake(ch, Direction.INBOUND, null);
            }
        };
    }

    /** Closes a connection a limit refuses at accept; a plaintext peer is told why first. */
    private void refuse(Channel ch, LinkState state, String refused) {
        observer.limitReached(refused);
        state.markClosing(DisconnectReason.TOO_MANY_CONNECTIONS, refused, false);
        state.outcome().completeExceptionally(new PeerlinkException(DisconnectReason.TOO_MANY_CONNECTIONS, refused));
        if (tls != null) {
            // a TLS client cannot read a plaintext frame, and a TLS engine is the cost being refused: just close
            ch.close();
            return;
        }
        ch.pipeline().addLast(PipelineNames.ENVELOPE_ENCODER, EnvelopeEncoder.INSTANCE);
        // once the channel is registered and active, say why and close
        ch.eventLoop()
                .execute(() -> LinkState.goodbye(
                        ch, Wire.disconnect(DisconnectReason.TOO_MANY_CONNECTIONS, refused + " reached")));
    }

    /** Initializer for a dialed channel; dials have a pending budget of their own. */
    public ChannelHandler outbound(PeerAddress dialed, @Nullable NodeId expected) {
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                LinkState state = new LinkState(Direction.OUTBOUND, dialed, expected);
                ch.attr(LinkState.KEY).set(state);
                channels.add(ch);
                String refused = limits.tryBeginOutbound();
                if (refused != null) {
                    observer.limitReached(refused);
                    state.markClosing(DisconnectReason.TOO_MANY_CONNECTIONS, refused, false);
                    state.outcome()
                            .completeExceptionally(
                                    new PeerlinkException(DisconnectReason.TOO_MANY_CONNECTIONS, refused + " reached"));
                    ch.close();
                    return;
                }
                addCodec(ch.pipeline(), true);
                addHandshake(ch, Direction.OUTBOUND, expected);
            }
        };
    }

    /** Every open peer channel, authenticated or not (closed channels leave by themselves). */
    public io.netty.channel.group.ChannelGroup channels() {
        return channels;
    }

    private void addCodec(ChannelPipeline p, boolean client) {
        if (tls != null) {
            p.addLast(PipelineNames.TLS, tls.newHandler(p.channel().alloc(), client));
        }
        if (observer != TransportObserver.NOOP) {
            p.addLast(PipelineNames.TRAFFIC, traffic);
        }
        p.addLast(
                PipelineNames.FRAME_DECODER,
                BoundedVarint32FrameDecoder.envelopes(config.limits().handshakeFrameBytes()));
        p.addLast(PipelineNames.ENVELOPE_ENCODER, EnvelopeEncoder.INSTANCE);
        if (observer != TransportObserver.NOOP) {
            p.addLast(PipelineNames.MESSAGES, messages);
        }
    }

    private void addHandshake(Channel ch, Direction direction, @Nullable NodeId expected) {
        Admission check = LinkState.of(ch).reserved() ? validatorsOnly : admission;
        Handshake machine =
                new Handshake(local.get(), direction, check, Verifier.ED25519, settings, RANDOM.get(), expected);
        ch.pipeline()
                .addLast(
                        PipelineNames.HANDSHAKE,
                        new HandshakeHandler(machine, crypto, config.timeouts().handshake(), registry, tls));
    }

    /**
     * Gives an authenticated channel its application send queue. Called before the link becomes visible in the
     * connection table: a sender on another thread that finds the link must find its queue too.
     */
    void attachOutbound(Channel ch) {
        LinkState.of(ch)
                .outbound(new OutboundQueue(ch, io.peerlink.core.config.Defaults.WRITE_HIGH_WATER_BYTES, observer));
    }

    /** Installs the application stage on an authenticated channel and lifts the frame limit. */
    void installLinkStage(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        BoundedVarint32FrameDecoder frames = p.get(BoundedVarint32FrameDecoder.class);
        if (frames != null) {
            frames.maxFrameBytes(config.limits().maxFrameBytes());
        }
        // flush consolidation only pays for replies written during a read (pongs); during the handshake every step
        // already ends in one flush. Application frames are batched by the link's outbound queue, so flushes
        // outside a read go out at once rather than after yet another event loop task (consolidateWhenNoRead false)
        if (tls != null) {
            p.addAfter(PipelineNames.TLS, PipelineNames.FLUSH, new FlushConsolidationHandler(256, false));
        } else {
            p.addFirst(PipelineNames.FLUSH, new FlushConsolidationHandler(256, false));
        }
        long bound = config.heartbeat().detectionBound().toNanos();
        p.addLast(PipelineNames.IDLE, new IdleStateHandler(bound, 0, 0, TimeUnit.NANOSECONDS));
        p.addLast(
                PipelineNames.HEARTBEAT, new HeartbeatHandler(config.heartbeat().interval()));
        LinkHandler.Events events = java.util.Objects.requireNonNull(linkEvents, "linkEvents");
        p.addLast(PipelineNames.LINK, new LinkHandler(events, config.heartbeat().detectionBound()));
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG"); // NIST SP 800-90A Hash_DRBG, seeded from the system source
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    static @Nullable InetAddress ip(Channel ch) {
        return ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    }

    /** A Netty future as a Mono that completes (empty) when the future does, successfully or not. */
    public static Mono<Void> toMono(Future<?> f) {
        return Mono.create(sink -> f.addListener(x -> sink.success()));
    }
}
