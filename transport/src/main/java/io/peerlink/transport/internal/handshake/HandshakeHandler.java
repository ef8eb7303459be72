package io.peerlink.transport.internal.handshake;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.peerlink.core.DisconnectReason;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.protocol.handshake.Handshake;
import io.peerlink.protocol.handshake.Step;
import io.peerlink.transport.internal.codec.FrameException;
import io.peerlink.transport.internal.link.Goodbye;
import io.peerlink.transport.internal.tls.CertificateRefusedException;
import io.peerlink.transport.internal.tls.TlsContexts;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs one {@link Handshake} on a channel. One fixed deadline runs from channel activation (accept or connect),
 * so a peer cannot keep a handshake alive by dribbling bytes. Signature work runs on the injected executor and its
 * result is applied back on the event loop; handshake state is only touched by one task at a time.
 *
 * <p>The outcome, a {@link HandshakeCompletionEvent}, completes the handler's own {@link #handshakeFuture()} and is
 * then fired down the pipeline (as Netty's {@code SslHandler} does); on success the handler then passes on any
 * message that arrived right behind the handshake and removes itself. Whoever must see every outcome uses the
 * promise: a handshake whose socket closed while its crypto ran ends after the pipeline is torn down, when the event
 * reaches nobody.
 *
 * <pre>{@code
 * HandshakeHandler handshake = new HandshakeHandler(machine, cryptoExecutor, Duration.ofSeconds(2));
 * pipeline.addLast(PipelineNames.HANDSHAKE, handshake);
 * handshake.handshakeFuture().thenAccept(done -> log.info("handshake ended: {}", done));
 * }</pre>
 */
public final class HandshakeHandler extends ChannelInboundHandlerAdapter {
    /** Runs crypto on the event loop itself. */
    public static final Executor INLINE = Runnable::run;

    private final Handshake machine;
    private final Executor cryptoExecutor;
    private final long timeoutNanos;
    private final @Nullable TlsContexts tls;
    private final CompletableFuture<HandshakeCompletionEvent> outcome = new CompletableFuture<>();

    private final ArrayDeque<Object> backlog = new ArrayDeque<>(2);
    private boolean started;
    private boolean busy;
    private boolean done;
    private boolean closedDuringWork;
    private boolean rejected;
    private boolean tlsBroken;
    private long startNanos;
    private @Nullable Future<?> deadline;

    public HandshakeHandler(Handshake machine, Executor cryptoExecutor, Duration timeout) {
        this(machine, cryptoExecutor, timeout, null);
    }

    /**
     * @param tls the contexts of the channel's {@code SslHandler}, if it has one: they give the certificates the
     *     handshake binds
     */
    public HandshakeHandler(Handshake machine, Executor cryptoExecutor, Duration timeout, @Nullable TlsContexts tls) {
        this.tls = tls;
        this.machine = Objects.requireNonNull(machine, "machine");
        this.cryptoExecutor = Objects.requireNonNull(cryptoExecutor, "cryptoExecutor");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        this.timeoutNanos = timeout.toNanos();
    }

    /**
     * Completes, on the channel's event loop and never exceptionally, with the outcome: the authenticated peer or
     * the rejection. Completed before the same {@link HandshakeCompletionEvent} is fired down the pipeline.
     */
    public CompletableFuture<HandshakeCompletionEvent> handshakeFuture() {
        return outcome;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            begin(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        begin(ctx);
        ctx.fireChannelActive();
    }

    private void begin(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        startNanos = ctx.executor().ticker().nanoTime();
        deadline = ctx.executor()
                .schedule(
                        () -> fail(
                                ctx,
                                DisconnectReason.HANDSHAKE_TIMEOUT,
                                "not authenticated within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms",
                                false),
                        timeoutNanos,
                        TimeUnit.NANOSECONDS);
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl == null) {
            apply(ctx, machine.start());
            return;
        }
        // with TLS, identify once the encrypted channel is up, binding the identity its peer certificate speaks for
        // and both certificates
        ssl.handshakeFuture().addListener(f -> {
            if (done) {
                return;
            }
            if (!f.isSuccess()) {
                failTls(ctx, f.cause());
                return;
            }
            TlsContexts.Secured secured = tls == null ? null : tls.secured(ssl);
            if (secured == null) {
                fail(ctx, DisconnectReason.TLS_REQUIRED, "TLS handshake ended without an identity certificate", true);
                return;
            }
            machine.onTransportSecured(
                    secured.peerIdentityKey(), secured.localCertificate(), secured.peerCertificate());
            apply(ctx, machine.start());
        });
    }

    /**
     * A failed TLS handshake cannot carry a {@code Disconnect} frame: close, reporting the reason this node's trust
     * manager gave if it refused the peer's certificate, else {@code TLS_REQUIRED}.
     */
    private void failTls(ChannelHandlerContext ctx, @Nullable Throwable cause) {
        tlsBroken = true;
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertificateRefusedException refused) {
                fail(ctx, refused.reason(), "TLS: " + refused.getMessage(), false); // this node refused it
                return;
            }
        }
        fail(ctx, DisconnectReason.TLS_REQUIRED, "TLS handshake failed: " + describe(cause), true);
    }

    private static String describe(@Nullable Throwable t) {
        if (t == null) {
            return "no identity certificate";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return m.length() > 120 ? m.substring(0, 120) + "..." : m;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof Envelope envelope)) {
            ReferenceCountUtil.release(msg);
            fail(ctx, DisconnectReason.INTERNAL_ERROR, "unexpected object in the pipeline", false);
            return;
        }
        if (cryptoExecutor == INLINE && !busy) {
            apply(ctx, machine.onMessage(envelope));
            return;
        }
        // offloaded: queue, and hand everything one read brought (the responder's Identify and Proof arrive
        // together) to the crypto executor in one task at the end of the read
        backlog.add(envelope);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!busy && !done && !backlog.isEmpty()) {
            dispatch(ctx);
        }
        ctx.fireChannelReadComplete();
    }

    /**
     * Runs the queued messages through the machine on the crypto executor, in order, stopping at the first one
     * that ends the handshake; applies the steps back on the event loop, and puts the messages not consumed back
     * at the front of the backlog (after an Accept they belong to the application stage).
     */
    private void dispatch(ChannelHandlerContext ctx) {
        Envelope[] batch = new Envelope[backlog.size()];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = (Envelope) backlog.poll();
        }
        busy = true;
        try {
            cryptoExecutor.execute(() -> {
                Step[] steps = new Step[batch.length];
                int used = 0;
                while (used < batch.length) {
                    Step step = machine.onMessage(batch[used]);
                    steps[used++] = step;
                    if (!(step instanceof Step.Send)) {
                        break;
                    }
                }
                int consumed = used;
                ctx.executor().execute(() -> applyBatch(ctx, batch, steps, consumed));
            });
        } catch (RejectedExecutionException e) {
            busy = false;
            for (int i = batch.length - 1; i >= 0; i--) {
                backlog.addFirst(batch[i]);
            }
            fail(ctx, DisconnectReason.INTERNAL_ERROR, "crypto executor is shut down", false);
        }
    }

    private void applyBatch(ChannelHandlerContext ctx, Envelope[] batch, Step[] steps, int consumed) {
        busy = false;
        if (done) {
            return; // failed meanwhile (deadline): nothing left to apply
        }
        for (int i = batch.length - 1; i >= consumed; i--) {
            backlog.addFirst(batch[i]);
        }
        if (closedDuringWork && !(steps[consumed - 1] instanceof Step.Reject)) {
            // the socket closed meanwhile: a success cannot be used, only the peer's reason matters
            failClosed(ctx);
            return;
        }
        for (int i = 0; i < consumed; i++) {
            apply(ctx, steps[i]);
        }
        if (!done && !backlog.isEmpty()) {
            // arrived while the crypto task ran
            dispatch(ctx);
        }
        if (closedDuringWork && !busy) {
            failClosed(ctx);
        }
    }

    private void apply(ChannelHandlerContext ctx, Step step) {
        if (done) {
            return;
        }
        if (step instanceof Step.Send send) {
            if (!send.messages().isEmpty()) {
                send.messages().forEach(ctx::write);
                ctx.flush();
            }
        } else if (step instanceof Step.Accept accept) {
            finish();
            accept.messages().forEach(ctx::write);
            ctx.flush();
            HandshakeCompletionEvent event = HandshakeCompletionEvent.success(
                    accept.peer(), ctx.executor().ticker().nanoTime() - startNanos);
            outcome.complete(event);
            ctx.fireUserEventTriggered(event);
            // messages that came right behind the handshake belong to the application stage
            while (!backlog.isEmpty()) {
                ctx.fireChannelRead(backlog.poll());
            }
            if (ctx.channel().isActive() && ctx.pipeline().context(this) != null) {
                ctx.pipeline().remove(this);
            }
        } else if (step instanceof Step.Reject reject) {
            finish();
            rejected = true;
            releaseBacklog();
            HandshakeCompletionEvent event = HandshakeCompletionEvent.failure(
                    reject, ctx.executor().ticker().nanoTime() - startNanos);
            outcome.complete(event);
            ctx.fireUserEventTriggered(event);
            if (reject.byPeer() || tlsBroken || !ctx.channel().isActive()) {
                ctx.close();
            } else {
                Goodbye.send(ctx.channel(), reject.notice());
            }
        }
    }

    /**
     * Fails without touching the state machine, which a crypto task may be using right now.
     *
     * @param byPeer true when nothing should be sent back (the peer is gone)
     */
    private void fail(ChannelHandlerContext ctx, DisconnectReason reason, String detail, boolean byPeer) {
        apply(ctx, new Step.Reject(reason, detail, byPeer, busy ? null : machine.claimedPeer()));
    }

    private void finish() {
        done = true;
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    private void releaseBacklog() {
        while (!backlog.isEmpty()) {
            ReferenceCountUtil.release(backlog.poll());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (rejected) {
            // the handshake already failed and the channel is closing; input behind the bad message (often in the
            // same read) may fail to decode too, which adds nothing and must not reach the pipeline tail
            return;
        }
        if (done) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        if (cause instanceof FrameException frame) {
            fail(ctx, frame.reason(), String.valueOf(frame.getMessage()), false);
        } else if (cause instanceof io.netty.handler.codec.DecoderException
                && (cause.getCause() instanceof javax.net.ssl.SSLException
                        || cause instanceof io.netty.handler.ssl.NotSslRecordException)) {
            // a broken TLS session cannot carry a Disconnect frame: just close
            failTls(ctx, cause);
        } else if (cause instanceof java.io.IOException) {
            fail(ctx, DisconnectReason.CONNECTION_CLOSED, String.valueOf(cause.getMessage()), true);
        } else {
            fail(ctx, DisconnectReason.INTERNAL_ERROR, cause.toString(), false);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (busy) {
            // a message that arrived before the close is still being processed (it may be the peer's Disconnect,
            // whose reason is the one to report); decide once it is done
            closedDuringWork = true;
        } else {
            failClosed(ctx);
        }
        ctx.fireChannelInactive();
    }

    private void failClosed(ChannelHandlerContext ctx) {
        if (done) {
            return;
        }
        // the peer may have said why before closing
        for (Object queued : backlog) {
            if (queued instanceof Envelope env && env.hasDisconnect()) {
                fail(
                        ctx,
                        DisconnectReason.fromCode(env.getDisconnect().getReason()),
                        env.getDisconnect().getDetail(),
                        true);
                return;
            }
        }
        fail(ctx, DisconnectReason.CONNECTION_CLOSED, "connection closed during the handshake", true);
    }
}
