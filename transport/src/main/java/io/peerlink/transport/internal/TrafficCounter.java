package io.peerlink.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.peerlink.transport.TransportObserver;

/** Reports raw bytes read and written to the observer; shared by every channel. */
@ChannelHandler.Sharable
public final class TrafficCounter extends ChannelDuplexHandler {
    private final TransportObserver observer;

    public TrafficCounter(TransportObserver observer) {
        this.observer = observer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            observer.bytesRead(buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            observer.bytesWritten(buf.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
