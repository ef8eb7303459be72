package io.peerlink.transport.internal.link;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.peerlink.core.Connection;
import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.protocol.pex.PexGuard;
import io.peerlink.protocol.wire.Wire;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Per-channel facts the engine needs: direction, the authenticated connection, the last round-trip time, and why
 * the channel closed (first reason wins). Stored as a channel attribute.
 *
 * <pre>{@code
 * LinkState state = LinkState.of(channel);
 * LinkState.disconnect(channel, DisconnectReason.REVOKED, "trust file changed");
 * }</pre>
 */
public final class LinkState {
    public static final AttributeKey<LinkState> KEY = AttributeKey.valueOf("peerlink.link");

    /** How long a goodbye frame may take to leave before the socket is closed anyway. */
    private static final long GOODBYE_MILLIS = 1000;
    /**
     * Answers (pongs, peer-exchange answers) dropped in a row because the peer does not read, before the link is
     * closed as {@code slow_peer}. An honest peer that pauses reading sends one ping per heartbeat interval, so
     * this is over a minute of pause at the default interval; a peer that floods requests reaches it at once.
     */
    public static final int MAX_UNANSWERED = 64;

    private final Direction direction;
    private final @Nullable PeerAddress dialed;
    private final @Nullable NodeId expectedPeer;
    private volatile @Nullable Connection connection;
    private volatile long rttNanos = -1;
    private volatile long lastPongNanos = -1;
    private volatile @Nullable DisconnectReason closeReason;
    private volatile String closeDetail = "";
    private volatile boolean closedByPeer;
    private volatile boolean superseded;
    private volatile boolean reserved;
    private volatile boolean readPaused;
    private final java.util.concurrent.CompletableFuture<Connection> outcome =
            new java.util.concurrent.CompletableFuture<>();
    // event-loop confined
    private final java.util.ArrayDeque<Object> pendingInbound = new java.util.ArrayDeque<>(4);
    private volatile @Nullable OutboundQueue outbound;
    private volatile @Nullable PexGuard pexGuard;
    private int unanswered;

    public LinkState(Direction direction, @Nullable PeerAddress dialed, @Nullable NodeId expectedPeer) {
        this.direction = Objects.requireNonNull(direction, "direction");
        this.dialed = dialed;
        this.expectedPeer = expectedPeer;
    }

    public static LinkState of(Channel channel) {
        return Objects.requireNonNull(channel.attr(KEY).get(), "channel has no LinkState");
    }

    public Direction direction() {
        return direction;
    }

    /** The address this node dialed (outbound links only). */
    public @Nullable PeerAddress dialed() {
        return dialed;
    }

    public @Nullable NodeId expectedPeer() {
        return expectedPeer;
    }

    public @Nullable Connection connection() {
        return connection;
    }

    public void connection(Connection connection) {
        this.connection = connection;
    }

    public long rttNanos() {
        return rttNanos;
    }

    public void rttNanos(long nanos) {
        this.rttNanos = nanos;
    }

    /** When ({@link System#nanoTime()}) the latest pong arrived, or -1 before the first. */
    public long lastPongNanos() {
        return lastPongNanos;
    }

    public void lastPongNanos(long nanoTime) {
        this.lastPongNanos = nanoTime;
    }

    public @Nullable DisconnectReason closeReason() {
        return closeReason;
    }

    public String closeDetail() {
        return closeDetail;
    }

    public boolean closedByPeer() {
        return closedByPeer;
    }

    /** Records why the link ends; the first reason recorded wins. */
    public synchronized boolean markClosing(DisconnectReason reason, String detail, boolean byPeer) {
        if (closeReason != null) {
            return false;
        }
        this.closeDetail = detail;
        this.closedByPeer = byPeer;
        this.closeReason = reason;
        return true;
    }

    /** This link lost the tie-break to another link to the same peer; its closing is not a peer event. */
    public boolean superseded() {
        return superseded;
    }

    /**
     * Whether this inbound connection holds one of the handshake slots reserved for trusted validators (the
     * ordinary pending budget was full when it arrived); it must authenticate as a validator.
     */
    public boolean reserved() {
        return reserved;
    }

    public void reserved(boolean reserved) {
        this.reserved = reserved;
    }

    public void markSuperseded() {
        this.superseded = true;
    }

    /** Completes when the handshake and registration end: the connection kept, or the failure. */
    public java.util.concurrent.CompletableFuture<Connection> outcome() {
        return outcome;
    }

    /** Reading is paused because the application does not consume messages fast enough. */
    public boolean readPaused() {
        return readPaused;
    }

    public void readPaused(boolean paused) {
        this.readPaused = paused;
    }

    /** Messages waiting for room in the receive queue (event loop only). */
    public java.util.ArrayDeque<Object> pendingInbound() {
        return pendingInbound;
    }

    /** The application frame queue, once the link is authenticated. */
    public @Nullable OutboundQueue outbound() {
        return outbound;
    }

    public void outbound(OutboundQueue queue) {
        this.outbound = queue;
    }

    /** The peer-exchange limits of this link, once it is an authenticated link between validators. */
    public @Nullable PexGuard pexGuard() {
        return pexGuard;
    }

    public void pexGuard(PexGuard guard) {
        this.pexGuard = guard;
    }

    /**
     * Sends a goodbye frame and half-closes: the peer reads the frame (a full close with unread input would send
     * a TCP reset, which destroys the frame) and closes its end; the socket is closed anyway after a second.
     */
    public static void goodbye(Channel channel, Object frame) {
        if (!channel.isActive()) {
            channel.close();
            return;
        }
        channel.writeAndFlush(frame).addListener(f -> {
            if (f.isSuccess() && channel instanceof io.netty.channel.socket.DuplexChannel duplex && duplex.isActive()) {
                duplex.shutdownOutput();
            } else {
                channel.close();
            }
        });
        channel.eventLoop()
                .schedule(
                        () -> {
                            channel.close();
                        },
                        GOODBYE_MILLIS,
                        TimeUnit.MILLISECONDS);
    }

    /** Whether this node already said goodbye on the link (input after that is ignored). */
    public boolean closingLocally() {
        return closeReason != null && !closedByPeer;
    }

    /**
     * Answers a peer's request (a pong, a peer-exchange answer) unless the peer does not read what it is sent:
     * while the link is above its write buffer's high-water mark the answer is dropped, so a peer that keeps
     * asking but never reads cannot grow this node's memory; after {@link #MAX_UNANSWERED} dropped answers in a
     * row the link is closed with {@code slow_peer}. Call on the channel's event loop.
     */
    public static void answer(Channel channel, io.netty.channel.ChannelOutboundInvoker out, Object reply) {
        LinkState state = channel.attr(KEY).get();
        if (channel.isWritable()) {
            if (state != null) {
                state.unanswered = 0;
            }
            out.writeAndFlush(reply, channel.voidPromise());
            return;
        }
        if (state == null || state.closeReason != null) {
            return;
        }
        if (++state.unanswered > MAX_UNANSWERED) {
            disconnectNow(
                    channel,
                    DisconnectReason.SLOW_PEER,
                    "the peer sends requests but does not read the " + "answers (" + MAX_UNANSWERED
                            + " dropped in a row)");
        }
    }

    /**
     * Sends a {@code Disconnect} with the reason (best effort) and closes at once, without the half-close grace of
     * {@link #goodbye}: for a peer that does not read, the frame would only queue behind a full buffer, and closing
     * frees that buffer now.
     */
    public static void disconnectNow(Channel channel, DisconnectReason reason, String detail) {
        LinkState state = channel.attr(KEY).get();
        if (state != null) {
            state.markClosing(reason, detail, false);
        }
        if (channel.isActive()) {
            channel.writeAndFlush(Wire.disconnect(reason, detail), channel.voidPromise());
        }
        channel.close();
    }

    /** Sends a {@code Disconnect} with the reason, then closes; closes anyway if the frame cannot leave in time. */
    public static void disconnect(Channel channel, DisconnectReason reason, String detail) {
        LinkState state = channel.attr(KEY).get();
        if (state != null) {
            state.markClosing(reason, detail, false);
        }
        goodbye(channel, Wire.disconnect(reason, detail));
    }
}
