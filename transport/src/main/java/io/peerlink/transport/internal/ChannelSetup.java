package io.peerlink.transport.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.Future;
import io.peerlink.core.ConfigException;
import io.peerlink.core.Connection;
import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerlinkException;
import io.peerlink.core.config.Defaults;
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
import io.peerlink.transport.internal.codec.EnvelopeSizeEstimator;
import io.peerlink.transport.internal.handshake.HandshakeHandler;
import io.peerlink.transport.internal.link.PeerLink;
import io.peerlink.transport.internal.tls.TlsContexts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The channel initializers: each makes the channel's {@link PeerLink} and builds the handshake stage (see
 * {@link PipelineNames} for the order), and hands both to the {@link LinkStage}, which registers the link and
 * installs the application stage once the peer is authenticated. Enforces the per-IP connection rate and the
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
    private final LinkStage stage;
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
    private final @Nullable TlsContexts tls;

    public ChannelSetup(
            NodeConfig config,
            Admission admission,
            HandshakeSettings settings,
            Supplier<LocalPeer> local,
            Executor crypto,
            LinkStage stage,
            ConnectionLimits limits,
            TransportObserver observer,
            @Nullable TlsContexts tls) {
        this.tls = tls;
        this.config = config;
        this.admission = admission;
        this.validatorsOnly =
                admission.validatorsOnly("max_pending_handshakes reached (the slots left are kept for validators)");
        this.settings = settings;
        this.local = local;
        this.crypto = crypto;
        this.stage = stage;
        this.limits = limits;
        this.observer = observer;
        this.traffic = new TrafficCounter(observer);
        this.messages = new MessageCounter(observer);
        // The JVM's DRBG seeder reads the system entropy source (a blocking file read) the first time any DRBG is
        // instantiated; do it here, on the caller's thread, so that no event loop ever waits on /dev/random
        // (BlockHound found it in the integration tests). Later per-thread generators seed from the seeder, in memory.
        RANDOM.get().nextBytes(new byte[16]);
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
                channels.add(ch);
                String refused =
                        limits.tryBeginInbound(ip, ch.eventLoop().ticker().nanoTime());
                // a slot kept for trusted validators: the handshake refuses anyone else as soon as it identifies
                boolean reserved = refused != null && !refused.equals("handshake_rate_per_ip") && limits.tryReserve(ip);
                PeerLink link =
                        new PeerLink(ch, Direction.INBOUND, null, null, reserved, observer, new CompletableFuture<>());
                if (refused != null && !reserved) {
                    refuse(ch, link, refused);
                    return;
                }
                addCodec(ch.pipeline(), false);
                addHandshake(link);
            }
        };
    }

    /** Closes a connection a limit refuses at accept; a plaintext peer is told why first. */
    private void refuse(Channel ch, PeerLink link, String refused) {
        observer.limitReached(refused);
        link.markClosing(DisconnectReason.TOO_MANY_CONNECTIONS, refused, false);
        link.established().completeExceptionally(new PeerlinkException(DisconnectReason.TOO_MANY_CONNECTIONS, refused));
        if (tls != null) {
            // a TLS client cannot read a plaintext frame, and a TLS engine is the cost being refused: just close
            ch.close();
            return;
        }
        ch.pipeline().addLast(PipelineNames.ENVELOPE_ENCODER, EnvelopeEncoder.INSTANCE);
        // once the channel is registered and active, say why and close
        ch.eventLoop()
                .execute(() ->
                        link.goodbye(Wire.disconnect(DisconnectReason.TOO_MANY_CONNECTIONS, refused + " reached")));
    }

    /**
     * Initializer for a dialed channel; dials have a pending budget of their own. {@code established} completes
     * with the connection kept (this link's, or the link it duplicates) or with the failure.
     */
    public ChannelHandler outbound(
            PeerAddress dialed, @Nullable NodeId expected, CompletableFuture<Connection> established) {
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                PeerLink link = new PeerLink(ch, Direction.OUTBOUND, dialed, expected, false, observer, established);
                channels.add(ch);
                String refused = limits.tryBeginOutbound();
                if (refused != null) {
                    observer.limitReached(refused);
                    link.markClosing(DisconnectReason.TOO_MANY_CONNECTIONS, refused, false);
                    established.completeExceptionally(
                            new PeerlinkException(DisconnectReason.TOO_MANY_CONNECTIONS, refused + " reached"));
                    ch.close();
                    return;
                }
                addCodec(ch.pipeline(), true);
                addHandshake(link);
            }
        };
    }

    /**
     * Binds the listener: accepted channels get {@link #inbound()}. Emits the server channel, or fails with a
     * {@link ConfigException} naming the address.
     */
    public Mono<Channel> bind(EventLoopGroup group, Transports transports, PeerAddress listen) {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, config.limits().acceptBacklog())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.MESSAGE_SIZE_ESTIMATOR, EnvelopeSizeEstimator.INSTANCE)
                .childOption(
                        ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(Defaults.WRITE_LOW_WATER_BYTES, Defaults.WRITE_HIGH_WATER_BYTES))
                .childHandler(inbound());
        return Mono.create(sink -> {
            ChannelFuture f = b.bind(new InetSocketAddress(listen.host(), listen.port()));
            f.addListener(x -> {
                if (f.isSuccess()) {
                    sink.success(f.channel());
                } else {
                    sink.error(new ConfigException(
                            "cannot listen on " + listen + ": " + f.cause().getMessage(), f.cause()));
                }
            });
        });
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

    private void addHandshake(PeerLink link) {
        Admission check = link.reserved() ? validatorsOnly : admission;
        Handshake machine = new Handshake(
                local.get(), link.direction(), check, Verifier.ED25519, settings, RANDOM.get(), link.expected());
        HandshakeHandler handshake =
                new HandshakeHandler(machine, crypto, config.timeouts().handshake(), tls);
        stage.await(link, handshake); // before the handler starts: no outcome can pass unseen
        link.channel().pipeline().addLast(PipelineNames.HANDSHAKE, handshake);
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
