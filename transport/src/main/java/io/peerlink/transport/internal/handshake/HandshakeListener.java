package io.peerlink.transport.internal.handshake;

import io.netty.channel.ChannelHandlerContext;
import io.peerlink.protocol.handshake.PeerInfo;
import io.peerlink.protocol.handshake.Step;

/**
 * Told how a channel's handshake ended; called on the channel's event loop.
 *
 * <pre>{@code
 * new HandshakeHandler(machine, executor, timeout, listener);
 * }</pre>
 */
public interface HandshakeListener {
    /**
     * The peer is authenticated. The listener installs the application stage after the handshake handler; any
     * message that arrived right behind the handshake is passed on to it afterwards.
     *
     * @param elapsedNanos time from channel activation to authentication
     */
    void onAuthenticated(ChannelHandlerContext ctx, PeerInfo peer, long elapsedNanos);

    /** The handshake failed; the channel is closing. */
    void onFailed(ChannelHandlerContext ctx, Step.Reject reject);
}
