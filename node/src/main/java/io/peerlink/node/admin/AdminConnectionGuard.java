package io.peerlink.node.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps idle and slow clients from holding the admin endpoint: at most {@code maxConnections} open connections
 * (one more is closed at once and counted in {@code peerlink_admin_connections_closed_total{reason="limit"}}),
 * and on each connection a {@link Deadlines} handler that closes it when it has sent nothing for the idle timeout,
 * or when a request has not fully arrived within the request timeout of its first byte.
 *
 * <pre>{@code
 * AdminConnectionGuard guard = new AdminConnectionGuard(limits, registry);
 * HttpServer.create().doOnChannelInit((obs, ch, addr) -> guard.install(ch))
 *         .handle((req, res) -> { guard.requestArrived(req); ... });
 * }</pre>
 */
final class AdminConnectionGuard {
    private static final Logger log = LoggerFactory.getLogger(AdminConnectionGuard.class);
    static final String HANDLER = "peerlink.adminDeadlines";
    static final String CLOSED = "peerlink.admin.connections.closed";

    private final AdminLimits limits;
    private final AtomicInteger open = new AtomicInteger();
    private final Counter overLimit;
    private final Counter idleClosed;
    private final Counter slowClosed;

    AdminConnectionGuard(AdminLimits limits, MeterRegistry registry) {
        this.limits = limits;
        this.overLimit = closedBy(registry, "limit");
        this.idleClosed = closedBy(registry, "idle");
        this.slowClosed = closedBy(registry, "request_timeout");
    }

    private static Counter closedBy(MeterRegistry registry, String reason) {
        return Counter.builder(CLOSED)
                .description("Admin HTTP connections closed by the endpoint's limits, by reason")
                .tag("reason", reason)
                .register(registry);
    }

    /** Open admin connections now. */
    int open() {
        return open.get();
    }

    /** Called as a connection is set up (on its event loop): counts it, and closes it if over the cap. */
    void install(Channel ch) {
        if (open.incrementAndGet() > limits.maxConnections()) {
            open.decrementAndGet();
            overLimit.increment();
            log.debug(
                    "admin connection from {} closed: {} connections open (admin-max-connections)",
                    ch.remoteAddress(),
                    limits.maxConnections());
            ch.config().setAutoRead(false);
            // closed once the set-up in progress (reactor-netty's initializer) has finished, not under its feet
            ch.eventLoop().execute(ch::close);
            return;
        }
        ch.closeFuture().addListener(f -> open.decrementAndGet());
        ch.pipeline().addFirst(HANDLER, new Deadlines());
    }

    /** Says that the request on {@code ch} has fully arrived (its handler is running); on the event loop. */
    static void requestArrived(Channel ch) {
        if (ch.pipeline().get(HANDLER) instanceof Deadlines d) {
            d.requestArrived();
        }
    }

    /**
     * The two timers of one connection, on its event loop: the idle timer runs while no request is arriving, the
     * request timer from a request's first byte until its handler runs.
     */
    final class Deadlines extends ChannelInboundHandlerAdapter {
        private final long idleNanos = limits.idleTimeout().toNanos();
        private final long requestNanos = limits.requestTimeout().toNanos();
        private @Nullable ChannelHandlerContext ctx;
        private long lastReadNanos;
        private boolean requestArriving;
        private @Nullable Future<?> idleTimer;
        private @Nullable Future<?> requestTimer;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            lastReadNanos = now();
            idleTimer = ctx.executor().schedule(this::checkIdle, idleNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            cancel(idleTimer);
            cancel(requestTimer);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cancel(idleTimer);
            cancel(requestTimer);
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            lastReadNanos = now();
            if (!requestArriving && msg instanceof ByteBuf b && b.isReadable()) {
                requestArriving = true;
                requestTimer = ctx.executor().schedule(this::requestTooSlow, requestNanos, TimeUnit.NANOSECONDS);
            }
            ctx.fireChannelRead(msg);
        }

        void requestArrived() {
            requestArriving = false;
            cancel(requestTimer);
            requestTimer = null;
        }

        private void checkIdle() {
            ChannelHandlerContext c = ctx;
            if (c == null || !c.channel().isActive()) {
                return;
            }
            long idle = now() - lastReadNanos;
            if (idle >= idleNanos && !requestArriving) {
                idleClosed.increment();
                log.debug(
                        "admin connection from {} closed: idle for {}ms (admin-idle-timeout)",
                        c.channel().remoteAddress(),
                        limits.idleTimeout().toMillis());
                c.close();
                return;
            }
            idleTimer = c.executor()
                    .schedule(this::checkIdle, Math.max(idleNanos - idle, 1_000_000L), TimeUnit.NANOSECONDS);
        }

        private void requestTooSlow() {
            ChannelHandlerContext c = ctx;
            if (c == null || !requestArriving || !c.channel().isActive()) {
                return;
            }
            slowClosed.increment();
            log.debug(
                    "admin connection from {} closed: request not complete within {}ms (admin-request-timeout)",
                    c.channel().remoteAddress(),
                    limits.requestTimeout().toMillis());
            c.close();
        }

        private long now() {
            ChannelHandlerContext c = ctx;
            return c == null ? System.nanoTime() : c.executor().ticker().nanoTime();
        }

        private void cancel(@Nullable Future<?> f) {
            if (f != null) {
                f.cancel(false);
            }
        }
    }
}
