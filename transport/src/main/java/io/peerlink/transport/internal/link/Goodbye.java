package io.peerlink.transport.internal.link;

import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import java.util.concurrent.TimeUnit;

/**
 * A last frame and a graceful half-close: the peer reads the frame (a full close with unread input would send a
 * TCP reset, which destroys the frame) and closes its end; the socket is closed anyway after a second. Used by
 * {@link PeerLink} and by the handshake stage, which answers a rejected peer before any link is registered.
 *
 * <pre>{@code
 * Goodbye.send(channel, Wire.disconnect(DisconnectReason.SHUTDOWN, "node is shutting down"));
 * }</pre>
 */
public final class Goodbye {
    /** How long a goodbye frame may take to leave before the socket is closed anyway. */
    private static final long GOODBYE_MILLIS = 1000;

    private Goodbye() {}

    public static void send(Channel channel, Object frame) {
        if (!channel.isActive()) {
            channel.close();
            return;
        }
        channel.writeAndFlush(frame).addListener(f -> {
            if (f.isSuccess() && channel instanceof DuplexChannel duplex && duplex.isActive()) {
                duplex.shutdownOutput();
            } else {
                channel.close();
            }
        });
        channel.eventLoop().schedule(() -> channel.close(), GOODBYE_MILLIS, TimeUnit.MILLISECONDS);
    }
}
