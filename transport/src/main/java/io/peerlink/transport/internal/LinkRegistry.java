package io.peerlink.transport.internal;

import io.netty.channel.Channel;
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
import io.peerlink.transport.internal.link.PeerLink;
import java.net.InetAddress;
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
public final class LinkRegistry {
    private static final Logger log = LoggerFactory.getLogger(LinkRegistry.class);

    private final NodeConfig config;
    private final ConnectionTable<PeerLink> table;
    private final PeerEventBus bus;
    private final ConnectionLimits limits;
    private final AddressBook book;
    private final TransportObserver observer;
    private final Map<NodeId, ScheduledFuture<?>> orphans = new ConcurrentHashMap<>();
    private final PeerErrors errors;
    private final Clocks clocks;

    public LinkRegistry(
            NodeConfig config,
            ConnectionTable<PeerLink> table,
            PeerEventBus bus,
            ConnectionLimits limits,
            AddressBook book,
            PeerErrors errors,
            TransportObserver observer,
            Clocks clocks) {
        this.clocks = clocks;
        this.errors = errors;
        this.config = config;
        this.table = table;
        this.bus = bus;
        this.limits = limits;
        this.book = book;
        this.observer = observer;
    }

    /**
     * Registers a link whose handshake succeeded: sets its connection, puts it in the connection table (dedup,
     * tie-break, restart takeover), checks the established-link limits and publishes the event. Returns the
     * connection when this link is kept; null when it is closing (a duplicate, or over a limit), in which case its
     * {@link PeerLink#established()} is already completed. Called on the link's event loop.
     */
    @Nullable
    Connection onAuthenticated(PeerLink link, PeerInfo peer, long elapsedNanos) {
        Channel ch = link.channel();
        Direction direction = link.direction();
        InetAddress ip = ChannelSetup.ip(ch);
        limits.endHandshake(direction == Direction.INBOUND, ip, link.reserved());
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
                clocks.now(),
                peer.linkId(),
                peer.incarnation());
        link.register(connection); // its send queue exists before the link is visible to senders

        if (peer.role().isValidator()) {
            limits.noteValidator(ip); // its address may use the handshake slots kept for validators
        }
        ConnectionTable.Registration<PeerLink> reg = table.register(peer.id(), direction, peer.incarnation(), link);
        switch (reg.outcome()) {
            case DUPLICATE -> {
                link.markSuperseded();
                observer.duplicateClosed();
                Connection kept = reg.kept().connection();
                if (kept != null) {
                    link.established().complete(kept);
                } else {
                    fail(link, DisconnectReason.DUPLICATE, "duplicate link to " + peer.id());
                }
                log.debug(
                        "closing duplicate {} link to {} (link {})",
                        direction,
                        peer.id().shortString(),
                        peer.linkId());
                ch.pipeline().addLast(Discard.INSTANCE);
                link.disconnect(DisconnectReason.DUPLICATE, "a link between these nodes already exists");
                return null;
            }
            case REPLACED -> {
                PeerLink old = java.util.Objects.requireNonNull(reg.replaced());
                old.markSuperseded();
                limits.transfer(
                        old.direction() == Direction.INBOUND,
                        ChannelSetup.ip(old.channel()),
                        direction == Direction.INBOUND,
                        ip,
                        peer.role().isValidator());
                observer.duplicateClosed();
                Connection replaced = old.connection();
                // silent for subscribers (the same peer, the same run), but both ends log the link they keep
                log.info(
                        "relinked {} {} {}: link {} replaces link {} (tie-break)",
                        direction,
                        peer.role(),
                        peer.id(),
                        peer.linkId(),
                        replaced == null ? "?" : replaced.linkId());
                old.disconnect(DisconnectReason.DUPLICATE, "the link between these nodes was replaced");
                bus.replace(connection);
            }
            case RESTARTED -> {
                PeerLink old = java.util.Objects.requireNonNull(reg.replaced());
                old.markSuperseded();
                limits.transfer(
                        old.direction() == Direction.INBOUND,
                        ChannelSetup.ip(old.channel()),
                        direction == Direction.INBOUND,
                        ip);
                ScheduledFuture<?> orphan = orphans.remove(peer.id()); // a held-back end is moot now
                if (orphan != null) {
                    orphan.cancel(false);
                }
                old.disconnect(DisconnectReason.DUPLICATE, "the peer restarted (newer boot incarnation)");
                Connection previous = old.connection();
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
                String refused = link.reserved() && !peer.role().isValidator()
                        ? "max_pending_handshakes"
                        : limits.tryEstablish(
                                direction == Direction.INBOUND, ip, peer.role().isValidator());
                if (refused != null) {
                    table.remove(peer.id(), link);
                    observer.limitReached(refused);
                    link.markSuperseded();
                    fail(link, DisconnectReason.TOO_MANY_CONNECTIONS, refused + " reached");
                    bus.publish(new PeerEvent.Rejected(
                            remote, peer.id(), DisconnectReason.TOO_MANY_CONNECTIONS, refused + " reached", false));
                    link.disconnect(DisconnectReason.TOO_MANY_CONNECTIONS, refused + " reached");
                    return null;
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
        PeerAddress dialed = link.dialed();
        if (dialed != null) {
            book.succeeded(dialed);
            book.linkedAt(peer.id(), dialed);
        }
        return connection;
    }

    /** A link's handshake failed; the channel is closing. Called on the link's event loop. */
    void onFailed(PeerLink link, Step.Reject reject) {
        Channel ch = link.channel();
        limits.endHandshake(link.direction() == Direction.INBOUND, ChannelSetup.ip(ch), link.reserved());
        link.markClosing(reject.reason(), reject.detail(), reject.byPeer());
        if (link.reserved() && reject.reason() == DisconnectReason.TOO_MANY_CONNECTIONS && !reject.byPeer()) {
            observer.limitReached("max_pending_handshakes"); // a reserved slot, and it was no validator
        }
        NodeId who = reject.peer() != null ? reject.peer() : link.expected();
        if (who != null && reject.reason() != DisconnectReason.DUPLICATE) {
            errors.record(
                    who,
                    "handshake " + link.direction() + (reject.byPeer() ? " refused by the peer" : " rejected"),
                    reject.reason(),
                    reject.detail());
        }
        observer.handshakeFailed(link.direction(), reject.reason(), reject.byPeer());
        PeerAddress remote = link.remote();
        if (reject.reason() != DisconnectReason.CONNECTION_CLOSED || reject.peer() != null) {
            bus.publish(
                    new PeerEvent.Rejected(remote, reject.peer(), reject.reason(), reject.detail(), reject.byPeer()));
            log.info(
                    "handshake {} {} {}: {} ({})",
                    link.direction(),
                    reject.byPeer() ? "refused by" : "rejected",
                    reject.peer() == null ? remote : reject.peer(),
                    reject.reason().text(),
                    reject.detail());
        }
        fail(link, reject.reason(), reject.detail());
    }

    private static void fail(PeerLink link, DisconnectReason reason, String detail) {
        link.established().completeExceptionally(new PeerlinkException(reason, detail));
    }

    /** An authenticated link closed; called on its event loop. */
    void onClosed(PeerLink link) {
        Channel ch = link.channel();
        Connection c = link.connection();
        if (c == null || !table.remove(c.peer(), link)) {
            return;
        }
        limits.release(
                link.direction() == Direction.INBOUND,
                ChannelSetup.ip(ch),
                c.role().isValidator());
        DisconnectReason reason = link.closeReason();
        String detail = link.closeDetail();
        if (reason == null) {
            reason = DisconnectReason.CONNECTION_CLOSED;
            detail = "socket closed without a goodbye";
        }
        if (reason == DisconnectReason.DUPLICATE && link.closedByPeer()) {
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
        publishEnd(c, reason, detail, link.closedByPeer(), link.lastPongNanos());
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
                observer.lossDetected(c, reason, clocks.nanoTime() - lastPongNanos);
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
        ConnectionTable.Link<PeerLink> link = table.get(change.id());
        if (link == null) {
            return;
        }
        if (change.revoked()) {
            link.handle().disconnect(DisconnectReason.REVOKED, "node " + change.id() + " was revoked");
        } else if (change.before() != null) {
            link.handle()
                    .disconnect(
                            DisconnectReason.ROLE_NOT_ALLOWED,
                            "role changed from " + change.before() + " to " + change.after());
        }
    }

    /** Sends every peer a goodbye and closes; adds a completion per link to {@code closes}. */
    public void closeAll(DisconnectReason reason, String detail, List<Mono<Void>> closes) {
        orphans.values().forEach(f -> f.cancel(false));
        for (ConnectionTable.Link<PeerLink> link : table.links()) {
            link.handle().disconnect(reason, detail);
            closes.add(ChannelSetup.toMono(link.handle().channel().closeFuture()));
        }
    }
}
