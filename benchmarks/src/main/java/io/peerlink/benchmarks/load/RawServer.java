package io.peerlink.benchmarks.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.internal.Transports;
import io.peerlink.transport.internal.codec.BoundedVarint32FrameDecoder;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The raw Netty baseline server: the same transport (epoll when available), pooled allocator and bounded varint32
 * framing as peerlink, and nothing else. It counts frames; a frame whose first payload byte is 1 is echoed back.
 *
 * <pre>{@code
 * int port = new RawServer(counter).start();
 * }</pre>
 */
final class RawServer {
    static final byte ECHO = 1;

    private final AtomicLong frames;
    private final AtomicInteger connections = new AtomicInteger();
    private final Transports transports = Transports.select(NetworkOptions.NativeTransport.AUTO);
    private final EventLoopGroup group = transports.newGroup(0, "raw-io");
    private @Nullable Channel server;

    RawServer(AtomicLong frames) {
        this.frames = frames;
    }

    int start() throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new FlushConsolidationHandler(256, true));
                        ch.pipeline().addLast(new BoundedVarint32FrameDecoder(1 << 20));
                        ch.pipeline().addLast(new Counter());
                    }
                });
        Channel bound = b.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        server = bound;
        return ((InetSocketAddress) bound.localAddress()).getPort();
    }

    int connections() {
        return connections.get();
    }

    void stop() {
        Channel bound = server;
        if (bound != null) {
            bound.close();
        }
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Counter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            connections.incrementAndGet();
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connections.decrementAndGet();
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            frames.incrementAndGet();
            if (frame.isReadable() && frame.getByte(frame.readerIndex()) == ECHO) {
                ByteBuf out = ctx.alloc().ioBuffer(frame.readableBytes() + 5);
                io.peerlink.benchmarks.codec.Varint32.write(out, frame.readableBytes());
                out.writeBytes(frame);
                ctx.writeAndFlush(out, ctx.voidPromise());
            }
            frame.release();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
