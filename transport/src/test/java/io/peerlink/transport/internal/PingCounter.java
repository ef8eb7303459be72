package io.peerlink.transport.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.peerlink.proto.v1.Envelope;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts heartbeat pings arriving on one link; installed in front of the heartbeat handler. */
@ChannelHandler.Sharable
final class PingCounter extends ChannelInboundHandlerAdapter {
    private final AtomicInteger pings = new AtomicInteger();

    static PingCounter install(Channel channel) {
        PingCounter counter = new PingCounter();
        channel.eventLoop().execute(() -> channel.pipeline().addBefore(PipelineNames.HEARTBEAT, "test.pings", counter));
        return counter;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Envelope e && e.hasPing()) {
            pings.incrementAndGet();
        }
        ctx.fireChannelRead(msg);
    }

    int pings() {
        return pings.get();
    }
}
