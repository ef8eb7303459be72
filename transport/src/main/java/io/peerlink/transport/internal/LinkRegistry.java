package io.peerlink.transport.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.peerlink.core.Connection;
import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.PeerlinkException;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.trust.TrustChange;
import io.peerlink.protocol.dedup.ConnectionTable;
import io.peerlink.protocol.handshake.PeerInfo;
import io.peerlink.protocol.handshake.Step;
import io.peerlink.transport.TransportObserver;
import io.peerlink.transport.internal.handshake.HandshakeListener;
import io.peerlink.transport.internal.link.LinkState;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Turns handshake outcomes and channel closes into the connection table and peer events: registers authenticated
 * links (dedup and tie-break through {@link ConnectionTable}), enforces established-link limits, classifies every
 * close as disconnected or lost, and disconnects revoked peers.
 *
 * <p>When a peer closes our registered link as a duplicate, it keeps another link to us that is still finishing
 * its handshake on this side; the disconnect is held back for one handshake timeout so the swap is silent.
 */
public final class LinkRegistry implements HandshakeListener {
    private static final Logger log = LoggerFactory.getLogger(LinkRegistry.class);

    /** Told when a link becomes the registered link of a new peer. */
    public interface ConnectedHook {
        void onConnected(Channel channel, Connection connection);
    }

    private final NodeConfig config;
    private final ConnectionTable<Channel> table;
    private final PeerEventBus bus;
    private final ConnectionLimits limits;
    private final AddressBook book;
    private final TransportObserver observer;
    private final Map<NodeId, ScheduledFuture<?>> orphans = new ConcurrentHashMap<>();
    private final PeerErrors errors = new PeerErrors();
    private @Nullable ChannelSetup setup;
    private @Nullable ConnectedHook hook;

    public LinkRegistry(
            NodeConfig config,
            ConnectionTable<Channel> table,
            PeerEventBus bus,
            ConnectionLimits limits,
            AddressBook book,
            TransportObserver observer) {
        this.config = config;
        this.table = table;
        this.bus = bus;
        this.limits = limits;
        this.book = book;
        this.observer = observer;
    }

    void channelSetup(ChannelSetup setup) {
        this.setup = setup;
    }

    public void linkEvents(ConnectedHook hook) {
        this.hook = hook;
    }

    /** The last failure of each peer, for {@code explain}. */
    PeerErrors errors() {
        return errors;
    }

    @Override
    public void onAuthenticated(ChannelHandlerContext ctx, PeerInfo peer, long elapsedNanos) {
        Channel ch = ctx.channel();
        LinkState state = LinkState.of(ch);
        Direction direction = state.direction();
        InetAddress ip = ChannelSetup.ip(ch);
        limits.endHandshake(direction == Direction.INBOUND, ip, state.reserved());
        observer.handshakeSucceeded(direction, elapsedNanos);

        PeerAddress remote = ch.remoteAddress() instanceof java.net.InetSocketAddress a
                ? PeerAddress.of(a)
                : new PeerAddress("unknown", 0);
        Connection connection = new Connection(
                peer.id(),
                peer.role(),
                remote,
                peer.listenAddress(),
                direction,
                Instant.now(),
                peer.linkId(),
                peer.incarnation());
        state.connection(connection);
        java.util.Objects.requireNonNull(setup).attachOutbound(ch); // before the link is visible to senders

        if (peer.role().isValidator()) {
            limits.noteValidator(ip); // its address may use the handshake slots kept for validators
        }
        ConnectionTable.Registration<Channel> reg = table.register(peer.id(), direction, peer.incarnation(), ch);
        switch (reg.outcome()) {
            case DUPLICATE -> {
                state.markSuperseded();
                observer.duplicateClosed();
                Connection kept = LinkState.of(reg.kept()).connection();
                if (kept != null) {
                    state.outcome().complete(kept);
                } else {
                    fail(state, DisconnectReason.DUPLICATE, "duplicate link to " + peer.id());
                }
                log.debug(
                        "closing duplicate {} link to {} (link {})",
                        direction,
                        peer.id().shortString(),
                        peer.linkId());
                ch.pipeline().addLast(Discard.INSTANCE);
                LinkState.disconnect(ch, DisconnectReason.DUPLICATE, "a link between these nodes already exists");
                return;
            }
            case REPLACED -> {
                Channel old = java.util.Objects.requireNonNull(reg.replaced());
                LinkState oldState = LinkState.of(old);
                oldState.markSuperseded();
                limits.transfer(
                        oldState.direction() == Direction.INBOUND,
                        ChannelSetup.ip(old),
                        direction == Direction.INBOUND,
                        ip,
                        peer.role().isValidator());
                observer.duplicateClosed();
                Connection replaced = oldState.connection();
                // silent for subscribers (the same peer, the same run), but both ends log the link they keep
                log.info(
                        "relinked {} {} {}: link {} replaces link {} (tie-break)",
                        direction,
                        peer.role(),
                        peer.id(),
                        peer.linkId(),
                        replaced == null ? "?" : replaced.linkId());
                LinkState.disconnect(old, DisconnectReason.DUPLICATE, "the link between these nodes was replaced");
                bus.replace(connection);
            }
            case RESTARTED -> {
                Channel old = java.util.Objects.requireNonNull(reg.replaced());
                LinkState oldState = LinkState.of(old);
                oldState.markSuperseded();
                limits.transfer(
                        oldState.direction() == Direction.INBOUND,
                        ChannelSetup.ip(old),
                        direction == Direction.INBOUND,
                        ip);
                ScheduledFuture<?> orphan = orphans.remove(peer.id()); // a held-back end is moot now
                if (orphan != null) {
                    orphan.cancel(false);
                }
                LinkState.disconnect(old, DisconnectReason.DUPLICATE, "the peer restarted (newer boot incarnation)");
                Connection previous = oldState.connection();
                if (previous == null) {
                    bus.replace(connection); // cannot happen: only authenticated links are registered
                } else {
                    observer.peerRestarted(previous, connection);
                    bus.publish(new PeerEvent.Restarted(previous, connection));
                    log.info(
                            "restarted {} {}: {} link {} replaces link {} (incarnation {} -> {})",
                            peer.role(),
                            peer.id(),
                            direction,
                            peer.linkId(),
                            previous.linkId(),
                            Long.toUnsignedString(previous.peerIncarnation()),
                            Long.toUnsignedString(peer.incarnation()));
                }
            }
            case ADDED -> {
                String refused = state.reserved() && !peer.role().isValidator()
                        ? "max_pending_handshakes"
                        : limits.tryEstablish(
                                direction == Direction.INBOUND, ip, peer.role().isValidator());
                if (refused != null) {
                    table.remove(peer.id(), ch);
                    observer.limitReached(refused);
                    state.markSuperseded();
                    fail(state, DisconnectReason.TOO_MANY_CONNECTIONS, refused + " reached");
                    bus.publish(new PeerEvent.Rejected(
                            remote, peer.id(), DisconnectReason.TOO_MANY_CONNECTIONS, refused + " reached", false));
                    LinkState.disconnect(ch, DisconnectReason.TOO_MANY_CONNECTIONS, refused + " reached");
                    return;
                }
                ScheduledFuture<?> orphan = orphans.remove(peer.id());
                if (orphan != null && orphan.cancel(false)) {
                    bus.replace(connection);
                    log.info(
                            "relinked {} {} {} at {}: link {} (the peer kept it over the previous link)",
                            direction,
                            peer.role(),
                            peer.id(),
                            remote,
                            peer.linkId());
                } else {
                    bus.publish(new PeerEvent.Connected(connection));
                    log.info(
                            "connected {} {} {} at {} link {}",
                            direction,
                            peer.role(),
                            peer.id(),
                            remote,
                            peer.linkId());
                }
            }
        }
        if (peer.listenAddress() != null && peer.role().isValidator()) {
            // the address it proved here, which relayed records never replace
            book.proven(peer.id(), peer.listenAddress(), peer.record(), direction == Direction.INBOUND);
            // linked, whoever dialed: a deferral of its address has served its purpose
            book.succeeded(peer.listenAddress());
        }
        if (state.dialed() != null) {
            book.succeeded(state.dialed());
            book.linkedAt(peer.id(), state.dialed());
        }
        java.util.Objects.requireNonNull(setup).installLinkStage(ch);
        state.outcome().complete(connection);
        if (hook != null) {
            hook.onConnected(ch, connection);
        }
    }

    @Override
    public void onFailed(ChannelHandlerContext ctx, Step.Reject reject) {
        Channel ch = ctx.channel();
        LinkState state = LinkState.of(ch);
        limits.endHandshake(state.direction() == Direction.INBOUND, ChannelSetup.ip(ch), state.reserved());
        state.markClosing(reject.reason(), reject.detail(), reject.byPeer());
        if (state.reserved() && reject.reason() == DisconnectReason.TOO_MANY_CONNECTIONS && !reject.byPeer()) {
            observer.limitReached("max_pending_handshakes"); // a reserved slot, and it was no validator
        }
        NodeId who = reject.peer() != null ? reject.peer() : state.expectedPeer();
        if (who != null && reject.reason() != DisconnectReason.DUPLICATE) {
            errors.record(
                    who,
                    "handshake " + state.direction() + (reject.byPeer() ? " refused by the peer" : " rejected"),
                    reject.reason(),
                    reject.detail());
        }
        observer.handshakeFailed(state.direction(), reject.reason(), reject.byPeer());
        PeerAddress remote = ch.remoteAddress() instanceof java.net.InetSocketAddress a
                ? PeerAddress.of(a)
                : (state.dialed() != null ? state.dialed() : new PeerAddress("unknown", 0));
        if (reject.reason() != DisconnectReason.CONNECTION_CLOSED || reject.peer() != null) {
            bus.publish(
                    new PeerEvent.Rejected(remote, reject.peer(), reject.reason(), reject.detail(), reject.byPeer()));
            log.info(
                    "handshake {} {} {}: {} ({})",
                    state.direction(),
                    reject.byPeer() ? "refused by" : "rejected",
                    reject.peer() == null ? remote : reject.peer(),
                    reject.reason().text(),
                    reject.detail());
        }
        fail(state, reject.reason(), reject.detail());
    }

    private static void fail(LinkState state, DisconnectReason reason, String detail) {
        state.outcome().completeExceptionally(new PeerlinkException(reason, detail));
    }

    /** An authenticated channel closed. */
    public void onClosed(Channel ch) {
        LinkState state = LinkState.of(ch);
        Connection c = state.connection();
        if (c == null || !table.remove(c.peer(), ch)) {
            return;
        }
        limits.release(
                state.direction() == Direction.INBOUND,
                ChannelSetup.ip(ch),
                c.role().isValidator());
        DisconnectReason reason = state.closeReason();
        String detail = state.closeDetail();
        if (reason == null) {
            reason = DisconnectReason.CONNECTION_CLOSED;
            detail = "socket closed without a goodbye";
        }
        if (reason == DisconnectReason.DUPLICATE && state.closedByPeer()) {
            // the peer kept another link to us, whose handshake is finishing here: hold the event back
            DisconnectReason r = reason;
            String d = detail;
            orphans.put(
                    c.peer(),
                    ch.eventLoop()
                            .schedule(
                                    () -> {
                                        if (orphans.remove(c.peer()) != null) {
                                            publishEnd(c, r, d, true, -1);
                                        }
                                    },
                                    config.timeouts().handshake().toMillis(),
                                    TimeUnit.MILLISECONDS));
            return;
        }
        publishEnd(c, reason, detail, state.closedByPeer(), state.lastPongNanos());
    }

    /** {@code lastPongNanos}: when the link's latest pong arrived, or -1 (none, or not a loss). */
    private void publishEnd(Connection c, DisconnectReason reason, String detail, boolean byPeer, long lastPongNanos) {
        if (reason != DisconnectReason.SHUTDOWN || byPeer) {
            boolean lost = reason == DisconnectReason.CONNECTION_CLOSED || reason == DisconnectReason.HEARTBEAT_TIMEOUT;
            errors.record(
                    c.peer(),
                    lost ? "link lost" : byPeer ? "link closed by the peer" : "link closed by this node",
                    reason,
                    detail);
        }
        if (reason == DisconnectReason.CONNECTION_CLOSED || reason == DisconnectReason.HEARTBEAT_TIMEOUT) {
            observer.peerLost(c, reason);
            if (lastPongNanos >= 0) {
                observer.lossDetected(c, reason, System.nanoTime() - lastPongNanos);
            }
            bus.publish(new PeerEvent.Lost(c, reason, detail));
            log.warn("lost {} {}: {} ({}) link {}", c.role(), c.peer(), reason.text(), detail, c.linkId());
        } else {
            bus.publish(new PeerEvent.Disconnected(c, reason, detail, byPeer));
            log.info(
                    "disconnected {} {} {}: {} ({}) link {}",
                    c.role(),
                    c.peer(),
                    byPeer ? "by peer" : "locally",
                    reason.text(),
                    detail,
                    c.linkId());
        }
    }

    /** Disconnects a revoked peer (or one whose role changed). */
    public void onTrustChange(TrustChange change) {
        if (change.revoked()) {
            book.remove(change.id());
        }
        ConnectionTable.Link<Channel> link = table.get(change.id());
        if (link == null) {
            return;
        }
        if (change.revoked()) {
            LinkState.disconnect(link.handle(), DisconnectReason.REVOKED, "node " + change.id() + " was revoked");
        } else if (change.before() != null) {
            LinkState.disconnect(
                    link.handle(),
                    DisconnectReason.ROLE_NOT_ALLOWED,
                    "role changed from " + change.before() + " to " + change.after());
        }
    }

    /** Sends every peer a goodbye and closes; adds a completion per link to {@code closes}. */
    public void closeAll(DisconnectReason reason, String detail, List<Mono<Void>> closes) {
        orphans.values().forEach(f -> f.cancel(false));
        for (ConnectionTable.Link<Channel> link : table.links()) {
            LinkState.disconnect(link.handle(), reason, detail);
            closes.add(ChannelSetup.toMono(link.handle().closeFuture()));
        }
    }
}
