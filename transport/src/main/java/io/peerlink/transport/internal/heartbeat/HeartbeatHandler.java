package io.peerlink.transport.internal.heartbeat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Future;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.Ping;
import io.peerlink.proto.v1.Pong;
import io.peerlink.transport.internal.link.PeerLink;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Sends a ping every interval on the channel's own event loop (no extra thread or timer per connection), answers
 * pings, and records the round-trip time of the latest pong in its {@link PeerLink}. Loss is detected by the
 * {@code IdleStateHandler} in front of it: no inbound traffic at all for the detection bound closes the link.
 *
 * <pre>{@code
 * pipeline.addLast(PipelineNames.IDLE, new IdleStateHandler(bound, 0, 0, TimeUnit.NANOSECONDS));
 * pipeline.addLast(PipelineNames.HEARTBEAT, new HeartbeatHandler(link, Duration.ofSeconds(1)));
 * }</pre>
 */
public final class HeartbeatHandler extends ChannelInboundHandlerAdapter {
    private final PeerLink link;
    private final long intervalNanos;
    private @Nullable Future<?> task;
    private long nonce;
    private long sentNanos;

    public HeartbeatHandler(PeerLink link, Duration interval) {
        this.link = Objects.requireNonNull(link, "link");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval: " + interval + " (expected: > 0)");
        }
        this.intervalNanos = interval.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // first ping right away: the RTT is known shortly after the link comes up
        task = ctx.executor().scheduleAtFixedRate(() -> ping(ctx), 0, intervalNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void cancel() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void ping(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            cancel();
            return;
        }
        nonce++;
        sentNanos = ctx.executor().ticker().nanoTime();
        ctx.writeAndFlush(
                Envelope.newBuilder().setPing(Ping.newBuilder().setNonce(nonce)).build(), ctx.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Envelope env) {
            if (env.hasPing()) {
                // dropped (and the link closed eventually) if the peer does not read its pongs
                link.answer(
                        ctx,
                        Envelope.newBuilder()
                                .setPong(
                                        Pong.newBuilder().setNonce(env.getPing().getNonce()))
                                .build());
                return;
            }
            if (env.hasPong()) {
                if (env.getPong().getNonce() == nonce) {
                    long now = ctx.executor().ticker().nanoTime();
                    link.ponged(now - sentNanos, now);
                }
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }
}
