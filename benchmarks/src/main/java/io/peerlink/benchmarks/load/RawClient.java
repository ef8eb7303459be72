package io.peerlink.benchmarks.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.ReferenceCountUtil;
import io.peerlink.benchmarks.codec.Varint32;
import io.peerlink.core.config.Defaults;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.internal.Transports;
import io.peerlink.transport.internal.codec.BoundedVarint32FrameDecoder;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The raw Netty baseline client (same transport, pooled direct buffers, varint32 framing, same write-buffer water
 * marks as peerlink): connect + one echoed 64-byte frame + close, and a frame pusher that writes 64-byte frames as
 * fast as the channel stays writable, flushing every 64 frames.
 *
 * <pre>{@code
 * try (RawClient raw = new RawClient(2)) {
 *     raw.connectEcho(port).get();
 *     List<Channel> pushers = raw.push(port, 1, 64);
 * }
 * }</pre>
 */
final class RawClient implements AutoCloseable {
    private final Transports transports = Transports.select(NetworkOptions.NativeTransport.AUTO);
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private volatile boolean stopped;

    RawClient(int threads) {
        this.group = transports.newGroup(threads, "raw-client");
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(transports.socketChannel())
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(
                        ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(Defaults.WRITE_LOW_WATER_BYTES, Defaults.WRITE_HIGH_WATER_BYTES));
    }

    static ByteBuf frame(io.netty.buffer.ByteBufAllocator alloc, byte first, int payloadBytes) {
        ByteBuf buf = alloc.ioBuffer(payloadBytes + 5);
        Varint32.write(buf, payloadBytes);
        buf.writeByte(first);
        buf.writeZero(payloadBytes - 1);
        return buf;
    }

    /** Connect, send one 64-byte frame, wait for its echo, close; completes once closed. */
    CompletableFuture<Void> connectEcho(int port) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ChannelFuture f = bootstrap
                .clone()
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new BoundedVarint32FrameDecoder(1 << 20));
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                ctx.writeAndFlush(frame(ctx.alloc(), RawServer.ECHO, 64));
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ReferenceCountUtil.release(msg);
                                ctx.close().addListener(x -> done.complete(null));
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                done.completeExceptionally(new IllegalStateException("closed before the echo"));
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                done.completeExceptionally(cause);
                                ctx.close();
                            }
                        });
                    }
                })
                .connect(new InetSocketAddress("127.0.0.1", port));
        f.addListener(x -> {
            if (!f.isSuccess()) {
                done.completeExceptionally(f.cause());
            }
        });
        return done;
    }

    /** Opens {@code links} connections that push frames until {@link #stopPushing()}. */
    List<Channel> push(int port, int links, int payloadBytes) throws InterruptedException {
        List<Channel> out = new ArrayList<>();
        for (int i = 0; i < links; i++) {
            out.add(bootstrap
                    .clone()
                    .handler(new Pusher(payloadBytes))
                    .connect(new InetSocketAddress("127.0.0.1", port))
                    .sync()
                    .channel());
        }
        return out;
    }

    void stopPushing() {
        stopped = true;
    }

    @Override
    public void close() {
        stopped = true;
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Pusher extends ChannelInboundHandlerAdapter {
        private final int payloadBytes;

        Pusher(int payloadBytes) {
            this.payloadBytes = payloadBytes;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            pump(ctx);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                pump(ctx);
            }
        }

        private void pump(ChannelHandlerContext ctx) {
            Channel ch = ctx.channel();
            int written = 0;
            while (!stopped && ch.isWritable() && written < 4096) {
                ctx.write(frame(ctx.alloc(), (byte) 0, payloadBytes), ctx.voidPromise());
                if (++written % 64 == 0) {
                    ctx.flush();
                }
            }
            ctx.flush();
            if (!stopped && ch.isWritable()) {
                ch.eventLoop().execute(() -> pump(ctx)); // let reads and other channels run in between
            }
        }
    }
}
