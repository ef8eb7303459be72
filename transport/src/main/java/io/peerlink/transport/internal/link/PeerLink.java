package io.peerlink.transport.internal.link;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundInvoker;
import io.peerlink.core.Connection;
import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.config.Defaults;
import io.peerlink.protocol.pex.PexGuard;
import io.peerlink.protocol.wire.Wire;
import io.peerlink.transport.TransportObserver;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The owner of one link, made by the channel initializer with the facts it knows then (channel, direction, the
 * address dialed and the node expected there, whether it holds a slot kept for validators). Registration sets the
 * {@link Connection} and the outbound queue, once. The link's own handlers and its collaborators get it passed in;
 * nothing looks it up from the channel.
 *
 * <p>Threads: the final facts may be read anywhere. {@link #connection()}, {@link #outbound()}, the close reason,
 * RTT and last pong are volatile and written on the channel's event loop (the close reason also by a stopping
 * node, first writer wins). The inbound backlog, the read-paused flag and the unanswered count are confined to the
 * event loop.
 *
 * <pre>{@code
 * PeerLink link = new PeerLink(channel, Direction.OUTBOUND, dialed, expected, false, observer);
 * link.disconnect(DisconnectReason.REVOKED, "trust file changed");
 * }</pre>
 */
public final class PeerLink {
    /**
     * Answers (pongs, peer-exchange answers) dropped in a row because the peer does not read, before the link is
     * closed as {@code slow_peer}. An honest peer that pauses reading sends one ping per heartbeat interval, so
     * this is over a minute of pause at the default interval; a peer that floods requests reaches it at once.
     */
    public static final int MAX_UNANSWERED = 64;

    private final Channel channel;
    private final Direction direction;
    private final @Nullable PeerAddress dialed;
    private final @Nullable NodeId expected;
    private final boolean reserved;
    private final TransportObserver observer;
    /** Completes when the handshake and registration end: the connection kept, or the failure. */
    private final CompletableFuture<Connection> established;

    private volatile @Nullable Connection connection;
    private volatile @Nullable OutboundQueue outbound;
    private volatile long rttNanos = -1;
    private volatile long lastPongNanos = -1;
    private volatile @Nullable DisconnectReason closeReason;
    private volatile String closeDetail = "";
    private volatile boolean closedByPeer;
    private volatile boolean superseded;
    private volatile @Nullable PexGuard pexGuard;
    // event-loop confined
    private final ArrayDeque<Object> inboundBacklog = new ArrayDeque<>(4);
    private boolean readPaused;
    private int unanswered;

    public PeerLink(
            Channel channel,
            Direction direction,
            @Nullable PeerAddress dialed,
            @Nullable NodeId expected,
            boolean reserved,
            TransportObserver observer,
            CompletableFuture<Connection> established) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.direction = Objects.requireNonNull(direction, "direction");
        this.dialed = dialed;
        this.expected = expected;
        this.reserved = reserved;
        this.observer = Objects.requireNonNull(observer, "observer");
        this.established = Objects.requireNonNull(established, "established");
    }

    public Channel channel() {
        return channel;
    }

    public Direction direction() {
        return direction;
    }

    /** The address this node dialed (outbound links only). */
    public @Nullable PeerAddress dialed() {
        return dialed;
    }

    /** The node this node dialed for, if it knew which (outbound links only). */
    public @Nullable NodeId expected() {
        return expected;
    }

    /**
     * Whether this inbound connection holds one of the handshake slots reserved for trusted validators (the
     * ordinary pending budget was full when it arrived); it must authenticate as a validator.
     */
    public boolean reserved() {
        return reserved;
    }

    /** The authenticated connection, once registered. */
    public @Nullable Connection connection() {
        return connection;
    }

    /**
     * Sets the authenticated connection and makes the application send queue, once. Called before the link becomes
     * visible in the connection table: a sender on another thread that finds the link must find its queue too.
     */
    public void register(Connection connection) {
        if (this.connection != null) {
            throw new IllegalStateException("link already registered as " + this.connection);
        }
        this.outbound = new OutboundQueue(channel, Defaults.WRITE_HIGH_WATER_BYTES, observer);
        this.connection = connection;
    }

    /** The application frame queue, once the link is registered. */
    public @Nullable OutboundQueue outbound() {
        return outbound;
    }

    /** The remote address of the socket, else the address dialed, else {@code unknown:0}. */
    public PeerAddress remote() {
        if (channel.remoteAddress() instanceof java.net.InetSocketAddress a) {
            return PeerAddress.of(a);
        }
        return dialed != null ? dialed : new PeerAddress("unknown", 0);
    }

    /** Completes when the handshake and registration end: the connection kept, or the failure. */
    public CompletableFuture<Connection> established() {
        return established;
    }

    public long rttNanos() {
        return rttNanos;
    }

    /** When (the event loop's ticker, in nanoseconds) the latest pong arrived, or -1 before the first. */
    public long lastPongNanos() {
        return lastPongNanos;
    }

    /** A pong came back {@code rttNanos} after its ping, at {@code nowNanos}. */
    public void ponged(long rttNanos, long nowNanos) {
        this.rttNanos = rttNanos;
        this.lastPongNanos = nowNanos;
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

    /** Whether this node already said goodbye on the link (input after that is ignored). */
    public boolean closingLocally() {
        return closeReason != null && !closedByPeer;
    }

    /** This link lost the tie-break to another link to the same peer; its closing is not a peer event. */
    public boolean superseded() {
        return superseded;
    }

    public void markSuperseded() {
        this.superseded = true;
    }

    /** The peer-exchange limits of this link, made by {@code factory} on first use. */
    public synchronized PexGuard pexGuard(Supplier<PexGuard> factory) {
        PexGuard guard = pexGuard;
        if (guard == null) {
            guard = factory.get();
            pexGuard = guard;
        }
        return guard;
    }

    /** Reading is paused because the application does not consume messages fast enough (event loop only). */
    public boolean readPaused() {
        return readPaused;
    }

    /** Stops reading from the socket until {@link #resumeReading()} (event loop only). */
    public void pauseReading() {
        if (!readPaused) {
            readPaused = true;
            channel.config().setAutoRead(false);
        }
    }

    /** Reads from the socket again (event loop only). */
    public void resumeReading() {
        if (readPaused) {
            readPaused = false;
            channel.config().setAutoRead(true);
        }
    }

    /** Inbound messages waiting for room in the receive queue (event loop only). */
    public ArrayDeque<Object> inboundBacklog() {
        return inboundBacklog;
    }

    /** Wakes senders waiting for room (the channel's writability changed). */
    void writabilityChanged() {
        OutboundQueue q = outbound;
        if (q != null) {
            q.wakeWaiters();
        }
    }

    /** The channel closed: fails queued sends and drops what waited to be received (event loop). */
    void closed() {
        OutboundQueue q = outbound;
        if (q != null) {
            q.close();
        }
        inboundBacklog.clear();
    }

    /**
     * Answers a peer's request (a pong, a peer-exchange answer) unless the peer does not read what it is sent:
     * while the link is above its write buffer's high-water mark the answer is dropped, so a peer that keeps
     * asking but never reads cannot grow this node's memory; after {@link #MAX_UNANSWERED} dropped answers in a
     * row the link is closed with {@code slow_peer}. Call on the channel's event loop; {@code out} is the channel
     * or the context of the handler that answers.
     */
    public void answer(ChannelOutboundInvoker out, Object reply) {
        if (channel.isWritable()) {
            unanswered = 0;
            out.writeAndFlush(reply, channel.voidPromise());
            return;
        }
        if (closeReason != null) {
            return;
        }
        if (++unanswered > MAX_UNANSWERED) {
            disconnectNow(
                    DisconnectReason.SLOW_PEER,
                    "the peer sends requests but does not read the answers (" + MAX_UNANSWERED + " dropped in a row)");
        }
    }

    /** Sends a {@code Disconnect} with the reason, then closes; closes anyway if the frame cannot leave in time. */
    public void disconnect(DisconnectReason reason, String detail) {
        markClosing(reason, detail, false);
        Goodbye.send(channel, Wire.disconnect(reason, detail));
    }

    /**
     * Sends a {@code Disconnect} with the reason (best effort) and closes at once, without the half-close grace of
     * {@link #disconnect}: for a peer that does not read, the frame would only queue behind a full buffer, and
     * closing frees that buffer now.
     */
    public void disconnectNow(DisconnectReason reason, String detail) {
        markClosing(reason, detail, false);
        if (channel.isActive()) {
            channel.writeAndFlush(Wire.disconnect(reason, detail), channel.voidPromise());
        }
        channel.close();
    }

    /** Closes without a goodbye (the peer left, or the socket failed), recording why. */
    public void closeNow(DisconnectReason reason, String detail, boolean byPeer) {
        markClosing(reason, detail, byPeer);
        channel.close();
    }

    /** Sends {@code frame} with a graceful half-close (see {@link Goodbye}). */
    public void goodbye(Object frame) {
        Goodbye.send(channel, frame);
    }

    /** Writes and flushes a frame, outside the application send queue (peer exchange). */
    public void send(Object frame) {
        channel.writeAndFlush(frame, channel.voidPromise());
    }

    @Override
    public String toString() {
        Connection c = connection;
        return "PeerLink[" + direction + " " + (c == null ? channel : c.peer().shortString() + " " + c.linkId()) + "]";
    }
}
