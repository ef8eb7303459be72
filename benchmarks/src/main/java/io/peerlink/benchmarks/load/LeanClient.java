package io.peerlink.benchmarks.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerlinkException;
import io.peerlink.core.Role;
import io.peerlink.core.identity.Verifier;
import io.peerlink.core.trust.InMemoryTrustRegistry;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.Pong;
import io.peerlink.protocol.handshake.Admission;
import io.peerlink.protocol.handshake.Handshake;
import io.peerlink.protocol.handshake.HandshakeSettings;
import io.peerlink.protocol.handshake.LocalPeer;
import io.peerlink.protocol.handshake.Step;
import io.peerlink.protocol.wire.Wire;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.internal.Transports;
import io.peerlink.transport.internal.codec.BoundedVarint32FrameDecoder;
import io.peerlink.transport.internal.codec.EnvelopeDecoder;
import io.peerlink.transport.internal.codec.EnvelopeEncoder;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A lean dialer that does peerlink's real handshake (the {@link Handshake} state machine, peerlink's framing and
 * codec, Ed25519 signatures) with nothing else around it, so the load lands on the target and not on a client
 * engine. A link counts as authenticated when the target's first heartbeat ping arrives: the target sends it only
 * once it has verified the client's proof and registered the link. In hold mode it answers every ping, so the link
 * stays up; otherwise the caller closes it.
 *
 * <pre>{@code
 * try (LeanClient client = new LeanClient(2, targetId)) {
 *     Channel ch = client.connect(port, 7, true).get();   // identity 7 of LoadKeys
 * }
 * }</pre>
 */
final class LeanClient implements AutoCloseable {
    private final Transports transports = Transports.select(NetworkOptions.NativeTransport.AUTO);
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final Admission admission;
    private final NodeId target;
    /** Per thread, as the engine's ChannelSetup does: NativePRNG instances share one lock. */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(() -> {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    });

    private final Map<Integer, LocalPeer> peers = new java.util.concurrent.ConcurrentHashMap<>();

    private final boolean tls;
    private final Map<Integer, io.peerlink.transport.internal.tls.TlsContexts> tlsContexts =
            new java.util.concurrent.ConcurrentHashMap<>();

    LeanClient(int threads, NodeId target) {
        this(threads, target, false);
    }

    /** With {@code tls}, each link runs mutual TLS 1.3 with the identity's certificate before the handshake. */
    LeanClient(int threads, NodeId target, boolean tls) {
        this.tls = tls;
        this.target = target;
        this.group = transports.newGroup(threads, "lean-io");
        this.admission = new Admission(new InMemoryTrustRegistry(Map.of(target, Role.VALIDATOR)), Role.OBSERVER);
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(transports.socketChannel())
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    }

    LocalPeer peer(int index) {
        LocalPeer p = peers.computeIfAbsent(index, i -> LocalPeer.of(LoadKeys.identity(i), Role.OBSERVER, null));
        if (tls) {
            tlsContexts.computeIfAbsent(
                    index,
                    i -> io.peerlink.transport.internal.tls.TlsContexts.create(
                            LoadKeys.identity(i),
                            io.peerlink.transport.internal.tls.PeerCheck.ANY,
                            io.peerlink.transport.TlsProvider.AUTO));
        }
        return p;
    }

    /** Connects and authenticates with identity {@code index}; completes with the channel once the target confirms. */
    CompletableFuture<Channel> connect(int port, int index, boolean hold) {
        CompletableFuture<Channel> confirmed = new CompletableFuture<>();
        Handshake machine = new Handshake(
                peer(index),
                Direction.OUTBOUND,
                admission,
                Verifier.ED25519,
                HandshakeSettings.defaults(),
                RANDOM.get(),
                target);
        ChannelFuture f = bootstrap
                .clone()
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls) {
                            ch.pipeline()
                                    .addLast(java.util.Objects.requireNonNull(
                                                    tlsContexts.get(index), "peer(index) first")
                                            .newHandler(ch.alloc(), true));
                        }
                        ch.pipeline().addLast(new BoundedVarint32FrameDecoder(1 << 20));
                        ch.pipeline().addLast(EnvelopeDecoder.INSTANCE);
                        ch.pipeline().addLast(EnvelopeEncoder.INSTANCE);
                        ch.pipeline()
                                .addLast(new ClientHandler(
                                        machine, confirmed, hold, tls ? tlsContexts.get(index) : null));
                    }
                })
                .connect(new InetSocketAddress("127.0.0.1", port));
        f.addListener(x -> {
            if (!f.isSuccess()) {
                confirmed.completeExceptionally(f.cause());
            }
        });
        return confirmed;
    }

    /** Says goodbye as a node shutting down would, and closes; completes when the socket is closed. */
    static CompletableFuture<Void> goodbye(Channel ch) {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        ch.writeAndFlush(Wire.disconnect(DisconnectReason.SHUTDOWN, "load generator"))
                .addListener(x -> ch.close().addListener(y -> closed.complete(null)));
        return closed;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class ClientHandler extends ChannelInboundHandlerAdapter {
        private final Handshake machine;
        private final CompletableFuture<Channel> confirmed;
        private final boolean hold;
        private final io.peerlink.transport.internal.tls.@Nullable TlsContexts contexts;
        private boolean authenticated;

        ClientHandler(
                Handshake machine,
                CompletableFuture<Channel> confirmed,
                boolean hold,
                io.peerlink.transport.internal.tls.@Nullable TlsContexts contexts) {
            this.contexts = contexts;
            this.machine = machine;
            this.confirmed = confirmed;
            this.hold = hold;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            io.netty.handler.ssl.SslHandler ssl = ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class);
            if (ssl == null) {
                apply(ctx, machine.start());
            } else {
                ssl.handshakeFuture().addListener(f -> {
                    io.peerlink.transport.internal.tls.TlsContexts.Secured secured =
                            f.isSuccess() && contexts != null ? contexts.secured(ssl) : null;
                    if (secured == null) {
                        fail(ctx, new PeerlinkException(DisconnectReason.TLS_REQUIRED, "TLS failed: " + f.cause()));
                        return;
                    }
                    machine.onTransportSecured(
                            secured.peerIdentityKey(), secured.localCertificate(), secured.peerCertificate());
                    apply(ctx, machine.start());
                });
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof Envelope env)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (!authenticated) {
                apply(ctx, machine.onMessage(env));
                return;
            }
            if (env.hasPing()) {
                confirmed.complete(ctx.channel());
                if (hold) {
                    ctx.writeAndFlush(
                            Envelope.newBuilder()
                                    .setPong(Pong.newBuilder()
                                            .setNonce(env.getPing().getNonce()))
                                    .build(),
                            ctx.voidPromise());
                }
            } else if (env.hasDisconnect()) {
                fail(
                        ctx,
                        new PeerlinkException(
                                DisconnectReason.fromCode(env.getDisconnect().getReason()),
                                env.getDisconnect().getDetail()));
            }
        }

        private void apply(ChannelHandlerContext ctx, Step step) {
            if (step instanceof Step.Send send) {
                if (!send.messages().isEmpty()) {
                    send.messages().forEach(ctx::write);
                    ctx.flush();
                }
            } else if (step instanceof Step.Accept accept) {
                authenticated = true;
                accept.messages().forEach(ctx::write);
                ctx.flush();
            } else if (step instanceof Step.Reject reject) {
                fail(ctx, new PeerlinkException(reject.reason(), reject.detail()));
            }
        }

        private void fail(ChannelHandlerContext ctx, Throwable cause) {
            confirmed.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            confirmed.completeExceptionally(
                    new PeerlinkException(DisconnectReason.CONNECTION_CLOSED, "closed before confirmation"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(ctx, cause);
        }
    }
}
