package io.peerlink.protocol.manager;

import static java.util.Objects.requireNonNull;

import io.peerlink.core.Connection;
import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.Role;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.trust.TrustChange;
import io.peerlink.core.trust.TrustRegistry;
import io.peerlink.protocol.dedup.ConnectionTable;
import io.peerlink.protocol.handshake.PeerInfo;
import io.peerlink.protocol.pex.RecordBook;
import java.util.HashMap;
import java.util.Map;

/**
 * A link's life: reported, handshake accepted or rejected, registered one per peer id (the tie-break deciding
 * between two, the limits applied), lost or closed; a revoked peer is closed and forgotten. Dial outcomes go back
 * to the {@link Dialer}.
 */
final class Registrar {
    private final ManagerSettings settings;
    private final NodeConfig config;
    private final NodeId self;
    private final TrustRegistry trust;
    private final Rules rules;
    private final Cooldowns cooldowns;
    private final RecordBook book;
    private final LinkTable links;
    private final DialTable dials;
    private final Dialer dialer;
    private final MeshUpkeep mesh;
    private final Exchange exchange;
    private final Attachments attachments;
    private final Outbox out;

    /** Peers whose link the peer replaced, whose {@code Disconnected} is held back a handshake's time. */
    private final Map<NodeId, Long> orphans = new HashMap<>();

    private long orphanGeneration;

    Registrar(
            ManagerSettings settings,
            TrustRegistry trust,
            Rules rules,
            Cooldowns cooldowns,
            RecordBook book,
            LinkTable links,
            DialTable dials,
            Dialer dialer,
            MeshUpkeep mesh,
            Exchange exchange,
            Attachments attachments,
            Outbox out) {
        this.settings = settings;
        this.config = settings.config();
        this.self = settings.self();
        this.trust = trust;
        this.rules = rules;
        this.cooldowns = cooldowns;
        this.book = book;
        this.links = links;
        this.dials = dials;
        this.dialer = dialer;
        this.mesh = mesh;
        this.exchange = exchange;
        this.attachments = attachments;
        this.out = out;
    }

    void onConnected(ManagerEvent.Connected c) {
        DialEntry dial = c.direction() == Direction.OUTBOUND ? dials.get(c.dialId()) : null;
        LinkEntry link = new LinkEntry(c.linkId(), c.direction(), c.remote(), dial);
        links.put(link);
        if (dial != null) {
            dial.linkId = link.id;
        }
        if (c.direction() == Direction.INBOUND
                && !links.admitPending(link, config.limits().maxPendingHandshakes())) {
            links.remove(link.id);
            out.emit(new ManagerAction.Close(
                    link.id, DisconnectReason.TOO_MANY_CONNECTIONS, "max_pending_handshakes reached"));
        }
    }

    void onAccepted(long linkId, PeerInfo peer) {
        LinkEntry link = links.get(linkId);
        if (link == null || link.authenticated) {
            return;
        }
        links.endPending(link);
        link.authenticated = true;
        link.peer = peer.id();
        link.role = peer.role();
        link.listen = peer.listenAddress();
        link.since = out.now();
        link.incarnation = rules.takeOverRestarts() ? peer.incarnation() : 0;
        DialEntry dial = link.dial;
        link.dial = null;
        try {
            register(link, peer);
        } finally {
            // only now: ending the dial frees its slot, and the refill that follows must see the link registered
            // (found by the simulator: ended first, the refill dialed the same peer again, in a loop)
            if (dial != null && dials.current(dial)) {
                cooldowns.succeeded(dial.address);
                book.linkedAt(peer.id(), dial.address);
                mesh.seedLinked(dial.address, peer.id());
                dials.end(dial);
            }
        }
    }

    private void register(LinkEntry link, PeerInfo peer) {
        if (peer.role().isValidator() && peer.listenAddress() != null) {
            book.proven(peer.id(), peer.listenAddress(), peer.record());
            cooldowns.succeeded(peer.listenAddress());
        }
        LinkEntry existing = links.registered(peer.id());
        if (existing != null) {
            ConnectionTable.Outcome outcome = ConnectionTable.decide(
                    rules.preferredDirection(self, peer.id()),
                    existing.direction,
                    existing.incarnation,
                    link.direction,
                    link.incarnation);
            if (outcome == ConnectionTable.Outcome.DUPLICATE) {
                links.close(link, DisconnectReason.DUPLICATE, "a link between these nodes already exists");
                return;
            }
            links.unregister(existing);
            if (outcome == ConnectionTable.Outcome.RESTARTED) {
                // the peer restarted: its old link (maybe half-dead, heartbeats not missed yet) goes at once
                links.close(existing, DisconnectReason.DUPLICATE, "the peer restarted (newer boot incarnation)");
                links.add(link);
                orphans.remove(peer.id());
                out.emit(new ManagerAction.Publish(
                        new PeerEvent.Restarted(links.connection(existing), links.connection(link))));
                return;
            }
            links.close(existing, DisconnectReason.DUPLICATE, "the link between these nodes was replaced");
            links.add(link);
            out.emit(new ManagerAction.Publish(new PeerEvent.Connected(links.connection(link))));
            return;
        }
        Direction direction = link.direction;
        int max = direction == Direction.INBOUND
                ? config.limits().maxInbound()
                : config.limits().maxOutbound();
        if (links.count(direction) >= max) {
            String limit = direction == Direction.INBOUND ? "max_inbound" : "max_outbound";
            links.close(link, DisconnectReason.TOO_MANY_CONNECTIONS, limit + " reached");
            out.emit(new ManagerAction.Publish(new PeerEvent.Rejected(
                    link.remote, peer.id(), DisconnectReason.TOO_MANY_CONNECTIONS, limit + " reached", false)));
            return;
        }
        links.add(link);
        orphans.remove(peer.id());
        out.emit(new ManagerAction.Publish(new PeerEvent.Connected(links.connection(link))));
        if (peer.role().isValidator()) {
            exchange.onValidatorLinked(link);
        }
    }

    void onRejected(ManagerEvent.HandshakeRejected r) {
        LinkEntry link = links.remove(r.linkId());
        if (link == null) {
            return;
        }
        links.endPending(link);
        if (r.reason() != DisconnectReason.CONNECTION_CLOSED || r.claimed() != null) {
            out.emit(new ManagerAction.Publish(
                    new PeerEvent.Rejected(link.remote, r.claimed(), r.reason(), r.detail(), r.byPeer())));
        }
        DialEntry dial = link.dial;
        if (dial == null || !dials.current(dial) || dial.linkId != link.id) {
            return;
        }
        if (r.reason() == DisconnectReason.DUPLICATE && r.byPeer()) {
            // the peer kept another link between us, still finishing here: not a failure to reach it, but no reason
            // to dial again before that link has had its handshake time (found by the simulator: a redial loop)
            cooldowns.defer(dial.address, config.timeouts().handshake().toNanos(), out.now());
            dials.end(dial);
            return;
        }
        dialer.attemptFailed(dial, r.reason(), r.detail(), true);
    }

    void onLost(ManagerEvent.LinkLost l) {
        LinkEntry link = links.remove(l.linkId());
        if (link == null) {
            return;
        }
        links.endPending(link);
        if (!link.authenticated) {
            DialEntry dial = link.dial;
            if (dial != null && dials.current(dial) && dial.linkId == link.id) {
                if (rules.redialAfterHandshakeLoss()) {
                    dialer.attemptFailed(dial, l.reason(), l.detail(), true);
                } else {
                    dials.abandon(dial.key);
                    dials.end(dial);
                }
            }
            return;
        }
        if (link.closing || !links.isRegistered(link)) {
            return;
        }
        links.unregister(link);
        Connection c = links.connection(link);
        NodeId peer = requireNonNull(link.peer);
        if (requireNonNull(link.role).isValidator()) {
            attachments.lost(peer);
        }
        if (l.reason() == DisconnectReason.DUPLICATE && l.byPeer()) {
            // the peer kept another link to us, whose handshake is finishing here: hold the event back
            long generation = ++orphanGeneration;
            orphans.put(peer, generation);
            out.emit(new ManagerAction.Schedule(
                    out.now() + config.timeouts().handshake().toNanos(), new Timer.OrphanExpiry(peer, generation)));
            return;
        }
        if (l.reason() == DisconnectReason.CONNECTION_CLOSED || l.reason() == DisconnectReason.HEARTBEAT_TIMEOUT) {
            out.emit(new ManagerAction.Publish(new PeerEvent.Lost(c, l.reason(), l.detail())));
        } else {
            out.emit(new ManagerAction.Publish(new PeerEvent.Disconnected(c, l.reason(), l.detail(), l.byPeer())));
        }
    }

    void onOrphanExpiry(Timer.OrphanExpiry o) {
        Long generation = orphans.get(o.peer());
        if (generation != null && generation == o.generation()) {
            orphans.remove(o.peer());
            out.emit(new ManagerAction.Publish(new PeerEvent.Disconnected(
                    new Connection(
                            o.peer(),
                            trust.roleOf(o.peer()).orElse(Role.OBSERVER),
                            new PeerAddress("unknown", 0),
                            null,
                            Direction.OUTBOUND,
                            settings.epoch().plusNanos(out.now())),
                    DisconnectReason.DUPLICATE,
                    "the link between these nodes was replaced",
                    true)));
        }
    }

    void onTrustChange(TrustChange change) {
        NodeId id = change.id();
        if (change.revoked()) {
            book.remove(id);
            mesh.forget(id);
            DialEntry d = dials.byKey(new DialKey.ById(id));
            if (d != null) {
                dials.end(d);
            }
        }
        LinkEntry link = links.registered(id);
        if (link == null) {
            return;
        }
        if (change.revoked()) {
            links.closeRegistered(link, DisconnectReason.REVOKED, "node " + id + " was revoked");
        } else if (change.before() != null) {
            links.closeRegistered(
                    link,
                    DisconnectReason.ROLE_NOT_ALLOWED,
                    "role changed from " + change.before() + " to " + change.after());
        }
    }
}
