package io.peerlink.transport.internal.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import org.jspecify.annotations.Nullable;

/**
 * Runs one TLS handshake between this node's own server and client contexts in memory. It proves that the provider
 * can use the key (a context can build and still fail at handshake time), and it warms the path a fresh JVM would
 * otherwise take cold on its first real link: class loading, the native library, the trust manager's binding check
 * (an Ed25519 verification) and the P-256 signatures.
 */
final class SelfTest {
    private static final int MAX_ROUNDS = 16;

    private SelfTest() {}

    /** Null if the handshake completed on both sides, else why not. */
    static @Nullable Throwable handshake(SslContext server, SslContext client) {
        SslHandler serverTls = server.newHandler(ByteBufAllocator.DEFAULT);
        SslHandler clientTls = client.newHandler(ByteBufAllocator.DEFAULT);
        EmbeddedChannel s = new EmbeddedChannel(serverTls);
        EmbeddedChannel c = new EmbeddedChannel(clientTls);
        try {
            for (int i = 0;
                    i < MAX_ROUNDS
                            && !(serverTls.handshakeFuture().isDone()
                                    && clientTls.handshakeFuture().isDone());
                    i++) {
                move(c, s);
                move(s, c);
            }
            if (!serverTls.handshakeFuture().isDone()
                    || !clientTls.handshakeFuture().isDone()) {
                return new IllegalStateException("in-memory TLS handshake did not finish in " + MAX_ROUNDS + " rounds");
            }
            Throwable failed = serverTls.handshakeFuture().cause();
            return failed != null ? failed : clientTls.handshakeFuture().cause();
        } catch (RuntimeException e) {
            return e;
        } finally {
            s.finishAndReleaseAll();
            c.finishAndReleaseAll();
        }
    }

    private static void move(EmbeddedChannel from, EmbeddedChannel to) {
        for (ByteBuf b = from.readOutbound(); b != null; b = from.readOutbound()) {
            to.writeInbound(b);
        }
    }
}
