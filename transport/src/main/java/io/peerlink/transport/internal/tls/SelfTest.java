package io.peerlink.transport.internal.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

/**
 * Runs one TLS handshake between a server and a client context in memory. A provider may build a context from a
 * key and still fail on it at handshake time (Netty's BoringSSL key manager knows RSA and EC keys, not Ed25519), so
 * a provider is only used once it has completed a real handshake.
 */
final class SelfTest {
    private static final int MAX_ROUNDS = 16;

    private SelfTest() {}

    static boolean handshakes(SslContext server, SslContext client) {
        SslHandler serverTls = server.newHandler(ByteBufAllocator.DEFAULT);
        SslHandler clientTls = client.newHandler(ByteBufAllocator.DEFAULT);
        EmbeddedChannel s = new EmbeddedChannel(serverTls);
        EmbeddedChannel c = new EmbeddedChannel(clientTls);
        try {
            for (int i = 0; i < MAX_ROUNDS && !(serverTls.handshakeFuture().isDone()
                    && clientTls.handshakeFuture().isDone()); i++) {
                move(c, s);
                move(s, c);
            }
            return serverTls.handshakeFuture().isSuccess() && clientTls.handshakeFuture().isSuccess();
        } catch (RuntimeException e) {
            return false;
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
