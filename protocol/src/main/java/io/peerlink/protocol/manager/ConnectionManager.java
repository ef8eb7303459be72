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
import io.peerlink.protocol.dial.DialTargets;
import io.peerlink.protocol.handshake.BanList;
import io.peerlink.protocol.handshake.PeerInfo;
import io.peerlink.protocol.pex.AddressRecords;
import io.peerlink.protocol.pex.DialBudget;
import io.peerlink.protocol.pex.PeerExchange;
import io.peerlink.protocol.pex.PexGuard;
import io.peerlink.protocol.pex.RecordBook;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * One node's connection management as a pure state machine: {@link #handle} takes an event and the current time
 * and returns the actions to carry out. No I/O, no threads, no clock reads; the only randomness (backoff jitter)
 * comes from the generator passed in. Not thread-safe: the shell feeds it from one thread (an event loop, or the
 * simulator's single thread).
 *
 * <pre>
 *  events                                         actions
 *  Start, DialRequested, Connected,      ┌────────────────────┐   Dial(dialId, address, expected)
 *  ConnectFailed, HandshakeAccepted, ──▶ │ ConnectionManager  │──▶ Close(linkId, reason, detail)
 *  HandshakeRejected, LinkLost,          │ dials, links, book │   SendPexRequest / SendPexAnswer
 *  TrustChanged, PexRequested,           └────────────────────┘   Schedule(atNanos, timer)
 *  PexAnswered, TimerFired                                         Publish(PeerEvent)
 * </pre>
 *
 * <p>The decisions are those of the transport's {@code Dialer}, {@code LinkRegistry} and {@code MeshMaintainer}:
 * dials share one attempt per {@link DialKey} ({@link #plan}); an attempt that fails retryably is retried with
 * {@link Backoff}, up to {@code dial.maxAttempts}, then its address cools down ({@link Cooldowns}) and
 * {@code DialFailed} is published; authenticated links register one per peer id, the tie-break deciding between
 * two; every tick the seeds that are not linked are dialed again (which is also the re-bootstrap when every peer
 * is gone) and a validator redials the validators it knows and is not linked to, at most
 * {@code dial.meshDialsInFlight} at a time, new learned addresses only within the {@link DialBudget}; validators
 * exchange signed address records every {@code pexInterval} and announce newcomers; a revoked peer is closed and
 * forgotten.
 *
 * <pre>{@code
 * ConnectionManager m = new ConnectionManager(settings, trust, new SplittableRandom(seed));
 * for (ManagerAction a : m.handle(new ManagerEvent.Start(), now)) carryOut(a);
 * }</pre>
 */
public final class ConnectionManager {

    private final ManagerSettings settings;
    private final NodeConfig config;
    private final NodeId self;
    private final TrustRegistry trust;
    private final RandomGenerator random;
    private final Rules rules;
    private final DialTargets targets;
    private final RecordBook book = new RecordBook();
    private final Cooldowns cooldowns;
    private final DialBudget budget;
    private final BanList bans;

    /** Every link the shell reported, authenticated or not, by link id. */
    private final TreeMap<Long, LinkEntry> links = new TreeMap<>();
    /** The registered (authenticated, surviving) link per peer. */
    private final TreeMap<NodeId, LinkEntry> table = new TreeMap<>();

    private final TreeMap<Long, DialEntry> dials = new TreeMap<>();
    private final Map<DialKey, DialEntry> dialsByKey = new HashMap<>();
    private final Map<PeerAddress, DialEntry> dialsByAddress = new HashMap<>();
    /** Targets the {@link Rules} gave up on for good (never, with the standard rules). */
    private final Map<DialKey, Boolean> abandoned = new HashMap<>();

    private final Map<PeerAddress, NodeId> seedIds = new HashMap<>();
    private final Map<NodeId, Long> orphans = new HashMap<>();

    private final List<ManagerAction> out = new ArrayList<>();
    private long now;
    private long nextDialId = 1;
    private long orphanGeneration;
    private long ticks;
    private int meshDials;
    private boolean refilling;
    private boolean started;
    private int inboundLinks;
    private int outboundLinks;
    private int pendingInbound;
    private @Nullable List<PeerExchange.Known> knownCache;

    public ConnectionManager(ManagerSettings settings, TrustRegistry trust, RandomGenerator random) {
        this(settings, trust, random, Rules.STANDARD);
    }

    /** With other {@link Rules} (the simulator's planted bugs); production uses {@link Rules#STANDARD}. */
    public ConnectionManager(ManagerSettings settings, TrustRegistry trust, RandomGenerator random, Rules rules) {
        this.settings = requireNonNull(settings, "settings");
        this.config = settings.config();
        this.self = settings.self();
        this.trust = requireNonNull(trust, "trust");
        this.random = requireNonNull(random, "random");
        this.rules = requireNonNull(rules, "rules");
        this.targets = new DialTargets(self, config.role(), settings.ownAddress());
        this.cooldowns = new Cooldowns(
                config.dial().redialInterval().toNanos(),
                config.pex().notPeerlinkCooldown().toNanos());
        this.budget = new DialBudget(
                config.pex().newAddressDialsPerMinute(), config.pex().newAddressDialsPerNodePerMinute(), () -> now);
        this.bans = new BanList(config.pex().banDuration(), () -> now);
        for (NodeId id : config.banned()) {
            bans.banForever(id);
        }
    }

    /**
     * The ban list on the manager's clock (time of the last event); the shell's {@code Admission} should use it, so
     * that ids banned here are refused at the handshake.
     */
    public BanList bans() {
        return bans;
    }

    /** Feeds one event at time {@code nowNanos} (monotonic, any origin) and returns what to do, in order. */
    public List<ManagerAction> handle(ManagerEvent event, long nowNanos) {
        requireNonNull(event, "event");
        now = Math.max(now, nowNanos);
        out.clear();
        if (event instanceof ManagerEvent.Start) {
            onStart();
        } else if (event instanceof ManagerEvent.DialRequested d) {
            onDialRequested(d.address(), d.expected());
        } else if (event instanceof ManagerEvent.Connected c) {
            onConnected(c);
        } else if (event instanceof ManagerEvent.ConnectFailed f) {
            DialEntry dial = dials.get(f.dialId());
            if (dial != null && dial.linkId < 0 && !dial.waiting) {
                attemptFailed(dial, DisconnectReason.CONNECTION_CLOSED, f.detail(), false);
            }
        } else if (event instanceof ManagerEvent.HandshakeAccepted a) {
            onAccepted(a.linkId(), a.peer());
        } else if (event instanceof ManagerEvent.HandshakeRejected r) {
            onRejected(r);
        } else if (event instanceof ManagerEvent.LinkLost l) {
            onLost(l);
        } else if (event instanceof ManagerEvent.TrustChanged t) {
            onTrustChange(t.change());
        } else if (event instanceof ManagerEvent.PexRequested p) {
            onPexRequest(p.linkId());
        } else if (event instanceof ManagerEvent.PexAnswered p) {
            onPexAnswer(p);
        } else if (event instanceof ManagerEvent.TimerFired t) {
            onTimer(t.timer());
        }
        List<ManagerAction> result = List.copyOf(out);
        out.clear();
        return result;
    }

    // ---------------------------------------------------------------- dialing

    /** What a request to dial {@code address} (expecting {@code expected}) would do now. Changes nothing. */
    public DialPlan plan(PeerAddress address, @Nullable NodeId expected) {
        requireNonNull(address, "address");
        if (expected != null && bans.banned(expected)) {
            return new DialPlan.Refuse(DisconnectReason.BANNED, "node " + expected + " is banned");
        }
        Role role = expected == null ? null : trust.roleOf(expected).orElse(null);
        DialKey key = rules.dialKey(address, expected);
        DialTargets.Verdict verdict = targets.decide(address, expected, role, linksView(key));
        return switch (verdict) {
            case SELF, OWN_ADDRESS ->
                new DialPlan.Refuse(
                        DisconnectReason.SELF_CONNECTION, "refusing to dial this node itself at " + address);
            case ROLE_NOT_ALLOWED ->
                new DialPlan.Refuse(
                        DisconnectReason.ROLE_NOT_ALLOWED, "a " + config.role() + " does not dial a " + role);
            case CONNECTED -> {
                LinkEntry l = expected != null ? table.get(expected) : linkAt(address);
                yield new DialPlan.Existing(requireNonNull(requireNonNull(l).peer), l.id);
            }
            case IN_FLIGHT -> {
                DialEntry d = dialsByKey.get(key);
                if (d == null) {
                    d = requireNonNull(dialsByAddress.get(address));
                }
                yield new DialPlan.Join(d.id, d.key);
            }
            case DIAL -> new DialPlan.Start(key);
        };
    }

    private DialTargets.Links linksView(DialKey key) {
        return new DialTargets.Links() {
            @Override
            public boolean connected(NodeId id) {
                return table.containsKey(id);
            }

            @Override
            public boolean connected(PeerAddress address) {
                return linkAt(address) != null;
            }

            @Override
            public boolean dialing(NodeId id) {
                return key instanceof DialKey.ById && dialsByKey.containsKey(key);
            }

            @Override
            public boolean dialing(PeerAddress address) {
                return dialsByAddress.containsKey(address) || dialsByKey.containsKey(key);
            }
        };
    }

    /** The registered link whose peer listens at, or was dialed at, {@code address}. */
    private @Nullable LinkEntry linkAt(PeerAddress address) {
        for (LinkEntry l : table.values()) {
            if (address.equals(l.listen) || (l.direction == Direction.OUTBOUND && address.equals(l.remote))) {
                return l;
            }
        }
        return null;
    }

    private void onDialRequested(PeerAddress address, @Nullable NodeId expected) {
        DialPlan plan = plan(address, expected);
        if (plan instanceof DialPlan.Start s) {
            startDial(s.key(), address, expected, false, false);
        } else if (plan instanceof DialPlan.Refuse r) {
            emit(new ManagerAction.Publish(new PeerEvent.DialFailed(address, expected, r.reason(), r.detail())));
        }
    }

    private void startDial(DialKey key, PeerAddress address, @Nullable NodeId expected, boolean once, boolean mesh) {
        DialEntry d = new DialEntry(nextDialId++, key, address, expected, once);
        dials.put(d.id, d);
        dialsByKey.put(key, d);
        dialsByAddress.put(address, d);
        if (mesh) {
            d.holdsSlot = true;
            meshDials++;
            emit(new ManagerAction.Schedule(now + settings.slotNanos(), new Timer.SlotExpiry(d.id)));
        }
        emit(new ManagerAction.Dial(d.id, address, expected));
    }

    /** One attempt of {@code dial} failed: retry after the backoff if that may help, else give up. */
    private void attemptFailed(DialEntry dial, DisconnectReason reason, String detail, boolean connected) {
        dial.linkId = -1;
        if (reason.retryable() && !dial.once && dial.attempt < config.dial().maxAttempts()) {
            dial.waiting = true;
            long wait = Backoff.nanos(config.dial(), dial.attempt, random);
            emit(new ManagerAction.Schedule(now + wait, new Timer.Retry(dial.id, dial.attempt)));
            return;
        }
        endDial(dial);
        if (reason == DisconnectReason.DUPLICATE || reason == DisconnectReason.SHUTDOWN) {
            return;
        }
        NodeId expected = dial.expected;
        if (expected != null && !book.wasLinkedAt(expected, dial.address) && Cooldowns.notPeerlink(reason, connected)) {
            cooldowns.notPeerlink(dial.address, now);
        } else {
            cooldowns.failed(dial.address, now);
        }
        String why = dial.attempt > 1 || !dial.once
                ? "gave up dialing " + dial.address + " after " + dial.attempt
                        + (dial.attempt == 1 ? " attempt: " : " attempts: ") + detail
                : detail;
        emit(new ManagerAction.Publish(new PeerEvent.DialFailed(dial.address, expected, reason, why)));
    }

    private void retry(Timer.Retry t) {
        DialEntry dial = dials.get(t.dialId());
        if (dial == null || !dial.waiting || dial.attempt != t.attempt()) {
            return;
        }
        dial.waiting = false;
        if (dial.expected != null && table.containsKey(dial.expected)) {
            endDial(dial);
            return;
        }
        dial.attempt++;
        emit(new ManagerAction.Dial(dial.id, dial.address, dial.expected));
    }

    private void endDial(DialEntry dial) {
        if (dials.remove(dial.id) == null) {
            return;
        }
        dialsByKey.remove(dial.key, dial);
        dialsByAddress.remove(dial.address, dial);
        releaseSlot(dial);
    }

    private void releaseSlot(DialEntry dial) {
        if (dial.holdsSlot) {
            dial.holdsSlot = false;
            meshDials--;
            refill();
        }
    }

    // ---------------------------------------------------------------- links

    private void onConnected(ManagerEvent.Connected c) {
        DialEntry dial = c.direction() == Direction.OUTBOUND ? dials.get(c.dialId()) : null;
        LinkEntry link = new LinkEntry(c.linkId(), c.direction(), c.remote(), dial);
        links.put(link.id, link);
        if (dial != null) {
            dial.linkId = link.id;
        }
        if (c.direction() == Direction.INBOUND) {
            if (pendingInbound >= config.limits().maxPendingHandshakes()) {
                links.remove(link.id);
                emit(new ManagerAction.Close(
                        link.id, DisconnectReason.TOO_MANY_CONNECTIONS, "max_pending_handshakes reached"));
                return;
            }
            pendingInbound++;
            link.pendingInbound = true;
        }
    }

    private void endPending(LinkEntry link) {
        if (link.pendingInbound) {
            link.pendingInbound = false;
            pendingInbound--;
        }
    }

    private void onAccepted(long linkId, PeerInfo peer) {
        LinkEntry link = links.get(linkId);
        if (link == null || link.authenticated) {
            return;
        }
        endPending(link);
        link.authenticated = true;
        link.peer = peer.id();
        link.role = peer.role();
        link.listen = peer.listenAddress();
        link.since = now;
        DialEntry dial = link.dial;
        link.dial = null;
        try {
            register(link, peer);
        } finally {
            // only now: ending the dial frees its slot, and the refill that follows must see the link registered
            // (found by the simulator: ended first, the refill dialed the same peer again, in a loop)
            if (dial != null && dials.get(dial.id) == dial) {
                cooldowns.succeeded(dial.address);
                book.linkedAt(peer.id(), dial.address);
                if (config.seeds().contains(dial.address)) {
                    seedIds.put(dial.address, peer.id());
                }
                endDial(dial);
            }
        }
    }

    private void register(LinkEntry link, PeerInfo peer) {
        if (peer.role().isValidator() && peer.listenAddress() != null) {
            book.proven(peer.id(), peer.listenAddress(), peer.record());
            cooldowns.succeeded(peer.listenAddress());
        }
        LinkEntry existing = table.get(peer.id());
        if (existing != null) {
            Direction preferred = rules.preferredDirection(self, peer.id());
            boolean candidateWins = existing.direction == link.direction || link.direction == preferred;
            if (!candidateWins) {
                link.closing = true;
                links.remove(link.id);
                emit(new ManagerAction.Close(
                        link.id, DisconnectReason.DUPLICATE, "a link between these nodes already exists"));
                return;
            }
            unregister(existing);
            existing.closing = true;
            links.remove(existing.id);
            emit(new ManagerAction.Close(
                    existing.id, DisconnectReason.DUPLICATE, "the link between these nodes was replaced"));
            add(link);
            emit(new ManagerAction.Publish(new PeerEvent.Connected(connection(link))));
            return;
        }
        int max = link.direction == Direction.INBOUND
                ? config.limits().maxInbound()
                : config.limits().maxOutbound();
        if ((link.direction == Direction.INBOUND ? inboundLinks : outboundLinks) >= max) {
            String limit = link.direction == Direction.INBOUND ? "max_inbound" : "max_outbound";
            link.closing = true;
            links.remove(link.id);
            emit(new ManagerAction.Close(link.id, DisconnectReason.TOO_MANY_CONNECTIONS, limit + " reached"));
            emit(new ManagerAction.Publish(new PeerEvent.Rejected(
                    link.remote, peer.id(), DisconnectReason.TOO_MANY_CONNECTIONS, limit + " reached", false)));
            return;
        }
        add(link);
        orphans.remove(peer.id());
        emit(new ManagerAction.Publish(new PeerEvent.Connected(connection(link))));
        if (config.role().isValidator() && peer.role().isValidator()) {
            onValidatorLinked(link);
        }
    }

    private void add(LinkEntry link) {
        table.put(requireNonNull(link.peer), link);
        if (link.direction == Direction.INBOUND) {
            inboundLinks++;
        } else {
            outboundLinks++;
        }
        knownCache = null;
    }

    private void unregister(LinkEntry link) {
        if (link.peer != null && table.remove(link.peer, link)) {
            if (link.direction == Direction.INBOUND) {
                inboundLinks--;
            } else {
                outboundLinks--;
            }
            knownCache = null;
        }
    }

    private Connection connection(LinkEntry l) {
        return new Connection(
                requireNonNull(l.peer),
                requireNonNull(l.role),
                l.remote,
                l.listen,
                l.direction,
                settings.epoch().plusNanos(l.since));
    }

    private void onRejected(ManagerEvent.HandshakeRejected r) {
        LinkEntry link = links.remove(r.linkId());
        if (link == null) {
            return;
        }
        endPending(link);
        if (r.reason() != DisconnectReason.CONNECTION_CLOSED || r.claimed() != null) {
            emit(new ManagerAction.Publish(
                    new PeerEvent.Rejected(link.remote, r.claimed(), r.reason(), r.detail(), r.byPeer())));
        }
        DialEntry dial = link.dial;
        if (dial == null || dials.get(dial.id) != dial || dial.linkId != link.id) {
            return;
        }
        if (r.reason() == DisconnectReason.DUPLICATE && r.byPeer()) {
            // the peer kept another link between us, still finishing here: not a failure to reach it, but no reason
            // to dial again before that link has had its handshake time (found by the simulator: a redial loop)
            cooldowns.defer(dial.address, config.timeouts().handshake().toNanos(), now);
            endDial(dial);
            return;
        }
        attemptFailed(dial, r.reason(), r.detail(), true);
    }

    private void onLost(ManagerEvent.LinkLost l) {
        LinkEntry link = links.remove(l.linkId());
        if (link == null) {
            return;
        }
        endPending(link);
        if (!link.authenticated) {
            DialEntry dial = link.dial;
            if (dial != null && dials.get(dial.id) == dial && dial.linkId == link.id) {
                if (rules.redialAfterHandshakeLoss()) {
                    attemptFailed(dial, l.reason(), l.detail(), true);
                } else {
                    abandoned.put(dial.key, Boolean.TRUE);
                    endDial(dial);
                }
            }
            return;
        }
        if (link.closing || table.get(requireNonNull(link.peer)) != link) {
            return;
        }
        unregister(link);
        Connection c = connection(link);
        if (l.reason() == DisconnectReason.DUPLICATE && l.byPeer()) {
            // the peer kept another link to us, whose handshake is finishing here: hold the event back
            long generation = ++orphanGeneration;
            orphans.put(link.peer, generation);
            emit(new ManagerAction.Schedule(
                    now + config.timeouts().handshake().toNanos(), new Timer.OrphanExpiry(link.peer, generation)));
            return;
        }
        if (l.reason() == DisconnectReason.CONNECTION_CLOSED || l.reason() == DisconnectReason.HEARTBEAT_TIMEOUT) {
            emit(new ManagerAction.Publish(new PeerEvent.Lost(c, l.reason(), l.detail())));
        } else {
            emit(new ManagerAction.Publish(new PeerEvent.Disconnected(c, l.reason(), l.detail(), l.byPeer())));
        }
    }

    /** Closes a registered link on this node's initiative: it stops counting at once. */
    private void closeRegistered(LinkEntry link, DisconnectReason reason, String detail) {
        unregister(link);
        link.closing = true;
        links.remove(link.id);
        emit(new ManagerAction.Close(link.id, reason, detail));
        emit(new ManagerAction.Publish(new PeerEvent.Disconnected(connection(link), reason, detail, false)));
    }

    private void onTrustChange(TrustChange change) {
        NodeId id = change.id();
        if (change.revoked()) {
            book.remove(id);
            seedIds.values().removeIf(id::equals);
            DialEntry d = dialsByKey.get(new DialKey.ById(id));
            if (d != null) {
                endDial(d);
            }
        }
        LinkEntry link = table.get(id);
        if (link == null) {
            return;
        }
        if (change.revoked()) {
            closeRegistered(link, DisconnectReason.REVOKED, "node " + id + " was revoked");
        } else if (change.before() != null) {
            closeRegistered(
                    link,
                    DisconnectReason.ROLE_NOT_ALLOWED,
                    "role changed from " + change.before() + " to " + change.after());
        }
    }

    // ---------------------------------------------------------------- mesh upkeep

    private void onStart() {
        if (started) {
            return;
        }
        started = true;
        dialSeeds();
        refill();
        emit(new ManagerAction.Schedule(now + settings.tickNanos(), Timer.TICK));
    }

    private void onTimer(Timer timer) {
        if (timer instanceof Timer.Tick) {
            tick();
        } else if (timer instanceof Timer.Retry r) {
            retry(r);
        } else if (timer instanceof Timer.SlotExpiry s) {
            DialEntry d = dials.get(s.dialId());
            if (d != null) {
                releaseSlot(d);
            }
        } else if (timer instanceof Timer.OrphanExpiry o) {
            Long generation = orphans.get(o.peer());
            if (generation != null && generation == o.generation()) {
                orphans.remove(o.peer());
                emit(new ManagerAction.Publish(new PeerEvent.Disconnected(
                        new Connection(
                                o.peer(),
                                trust.roleOf(o.peer()).orElse(Role.OBSERVER),
                                new PeerAddress("unknown", 0),
                                null,
                                Direction.OUTBOUND,
                                settings.epoch().plusNanos(now)),
                        DisconnectReason.DUPLICATE,
                        "the link between these nodes was replaced",
                        true)));
            }
        }
    }

    private void tick() {
        ticks++;
        emit(new ManagerAction.Schedule(now + settings.tickNanos(), Timer.TICK));
        dialSeeds();
        if (config.role().isValidator()) {
            refill();
            if (ticks % settings.pexEveryTicks() == 0) {
                for (LinkEntry l : table.values()) {
                    if (requireNonNull(l.role).isValidator()) {
                        guard(l).requested();
                        emit(new ManagerAction.SendPexRequest(l.id));
                    }
                }
            }
        }
    }

    /** Dials every seed whose node is not linked (at start, every tick, and so when every peer is gone). */
    private void dialSeeds() {
        for (PeerAddress seed : config.seeds()) {
            NodeId id = seedIds.get(seed);
            if (id == null) {
                LinkEntry at = linkAt(seed);
                if (at != null) {
                    id = at.peer;
                    seedIds.put(seed, requireNonNull(id));
                }
            }
            if ((id != null && table.containsKey(id)) || !cooldowns.ready(seed, now)) {
                continue;
            }
            DialPlan plan = plan(seed, null);
            if (plan instanceof DialPlan.Start s && !abandoned.containsKey(s.key())) {
                startDial(s.key(), seed, null, false, false);
            }
        }
    }

    /** Starts dials of known validators that are not linked while mesh-dial slots are free. Not reentrant. */
    private void refill() {
        if (!config.role().isValidator() || refilling || !started) {
            return;
        }
        refilling = true;
        try {
            for (NodeId id : book.ids()) {
                if (!dialNext(id)) {
                    return;
                }
            }
        } finally {
            refilling = false;
        }
    }

    /** Dials {@code id} at its first address that is not cooling down; false when no slot is free. */
    private boolean dialNext(NodeId id) {
        if (meshDials >= config.dial().meshDialsInFlight()) {
            return false;
        }
        if (id.equals(self)
                || table.containsKey(id)
                || bans.banned(id)
                || !trust.roleOf(id).map(Role::isValidator).orElse(false)) {
            return true;
        }
        for (PeerAddress address : book.targets(id)) {
            if (!cooldowns.ready(address, now)) {
                continue;
            }
            DialPlan plan = plan(address, id);
            if (!(plan instanceof DialPlan.Start s)) {
                return true;
            }
            if (abandoned.containsKey(s.key())) {
                return true;
            }
            boolean fresh = !book.wasLinkedAt(id, address);
            if (fresh && budget.tryAcquire(id) != DialBudget.Verdict.ALLOWED) {
                return true;
            }
            startDial(s.key(), address, id, fresh, true);
            return true;
        }
        return true;
    }

    // ---------------------------------------------------------------- peer exchange

    private PexGuard guard(LinkEntry link) {
        PexGuard g = link.guard;
        if (g == null) {
            g = new PexGuard(config.pex(), config.limits().pexMaxEntries(), () -> now);
            link.guard = g;
        }
        return g;
    }

    private void onValidatorLinked(LinkEntry link) {
        guard(link).requested();
        emit(new ManagerAction.SendPexRequest(link.id));
        NodeId peer = requireNonNull(link.peer);
        AddressRecords.Verified record = book.record(peer);
        if (link.listen == null || record == null) {
            return;
        }
        // announce the newcomer to the validators that are to dial it; the others hear of it from its own requests
        List<PeerExchange.Known> announce =
                List.of(new PeerExchange.Known(peer, requireNonNull(link.role), record.signed(), true));
        for (LinkEntry other : table.values()) {
            if (other != link
                    && requireNonNull(other.role).isValidator()
                    && PeerExchange.dialsFirst(requireNonNull(other.peer), peer)
                    && guard(other).tryAnnounce()) {
                emit(new ManagerAction.SendPexAnswer(other.id, other.peer, announce, true));
            }
        }
    }

    private void onPexRequest(long linkId) {
        LinkEntry link = links.get(linkId);
        if (!config.role().isValidator() || link == null || table.get(link.peer) != link) {
            return;
        }
        if (!requireNonNull(link.role).isValidator()) {
            return;
        }
        String over = guard(link).onRequest();
        if (over != null) {
            abuse(link, over);
            return;
        }
        emit(new ManagerAction.SendPexAnswer(link.id, requireNonNull(link.peer), known(), false));
    }

    /** Every registered peer as a peer-exchange candidate, in id order; cached until the table changes. */
    private List<PeerExchange.Known> known() {
        List<PeerExchange.Known> k = knownCache;
        if (k == null) {
            List<PeerExchange.Known> list = new ArrayList<>(table.size());
            for (LinkEntry l : table.values()) {
                Role role = requireNonNull(l.role);
                AddressRecords.Verified r = role.isValidator() ? book.record(requireNonNull(l.peer)) : null;
                list.add(new PeerExchange.Known(requireNonNull(l.peer), role, r == null ? null : r.signed(), true));
            }
            k = Collections.unmodifiableList(list);
            knownCache = k;
        }
        return k;
    }

    private void onPexAnswer(ManagerEvent.PexAnswered p) {
        LinkEntry link = links.get(p.linkId());
        if (!config.role().isValidator() || link == null || table.get(link.peer) != link) {
            return;
        }
        if (!requireNonNull(link.role).isValidator()) {
            return;
        }
        String over = guard(link).onAnswer(p.count(), p.bytes(), p.announcement());
        if (over != null) {
            abuse(link, over);
            return;
        }
        int n = Math.min(p.records().size(), config.limits().pexMaxEntries());
        for (int i = 0; i < n; i++) {
            AddressRecords.Verified r = p.records().get(i);
            NodeId id = r.id();
            if (book.holds(id, r.signed())) {
                continue; // the common case: the very record held (cheap: no copy, no verification)
            }
            if (id.equals(self)
                    || !trust.roleOf(id).map(Role::isValidator).orElse(false)
                    || book.offer(r) != RecordBook.Offer.NEWER
                    || table.containsKey(id)) {
                continue;
            }
            if (!PeerExchange.dialsFirst(self, id)) {
                // the peer is told about us too and dials; take over only if it has not by then
                for (PeerAddress a : book.targets(id)) {
                    if (!book.wasLinkedAt(id, a)) {
                        cooldowns.defer(a, settings.deferralNanos(), now);
                    }
                }
            }
            dialNext(id);
        }
    }

    private void abuse(LinkEntry link, String detail) {
        NodeId peer = requireNonNull(link.peer);
        bans.ban(peer);
        closeRegistered(link, DisconnectReason.PEX_ABUSE, detail);
    }

    private void emit(ManagerAction action) {
        out.add(action);
    }

    // ---------------------------------------------------------------- read-only views (shell, tests, simulator)

    /** A snapshot: the registered link id of each linked peer, in id order. */
    public NavigableMap<NodeId, Long> linked() {
        TreeMap<NodeId, Long> m = new TreeMap<>();
        table.forEach((id, l) -> m.put(id, l.id));
        return Collections.unmodifiableNavigableMap(m);
    }

    /** Calls {@code visitor} with each linked peer and its registered link id, in id order, without copying. */
    public void forEachLinked(java.util.function.ObjLongConsumer<NodeId> visitor) {
        for (Map.Entry<NodeId, LinkEntry> e : table.entrySet()) {
            visitor.accept(e.getKey(), e.getValue().id);
        }
    }

    /** The registered link of {@code peer}, or -1. */
    public long linkOf(NodeId peer) {
        LinkEntry l = table.get(peer);
        return l == null ? -1 : l.id;
    }

    /** Whether {@code peer} has a registered link. */
    public boolean isLinked(NodeId peer) {
        return table.containsKey(peer);
    }

    /** Registered links. */
    public int linkCount() {
        return table.size();
    }

    /** Links the shell reported that are not registered (handshaking). */
    public int pendingCount() {
        return links.size() - table.size();
    }

    /** Dials under way (connecting, handshaking or waiting to retry). */
    public int dialCount() {
        return dials.size();
    }

    /** Mesh dials holding a slot. */
    public int meshDialsInFlight() {
        return meshDials;
    }

    /** Addresses cooling down (expired ones included until they succeed). */
    public int cooldownCount() {
        return cooldowns.size();
    }

    /** Validators this node knows an address of. */
    public List<NodeId> knownValidators() {
        return book.ids();
    }

    /** The dial under way for {@code key}, or -1. */
    public long dialOf(DialKey key) {
        DialEntry d = dialsByKey.get(key);
        return d == null ? -1 : d.id;
    }

    /** The settings. */
    public ManagerSettings settings() {
        return settings;
    }

    /** How long a ban lasts by default (for the shell's admin actions). */
    public Duration banDuration() {
        return config.pex().banDuration();
    }

    /** A dial under way. */
    private static final class DialEntry {
        final long id;
        final DialKey key;
        final PeerAddress address;
        final @Nullable NodeId expected;
        final boolean once;
        int attempt = 1;
        long linkId = -1;
        boolean waiting;
        boolean holdsSlot;

        DialEntry(long id, DialKey key, PeerAddress address, @Nullable NodeId expected, boolean once) {
            this.id = id;
            this.key = key;
            this.address = address;
            this.expected = expected;
            this.once = once;
        }
    }

    /** A link the shell reported. */
    private static final class LinkEntry {
        final long id;
        final Direction direction;
        final PeerAddress remote;

        @Nullable
        DialEntry dial;

        boolean authenticated;
        boolean closing;
        boolean pendingInbound;

        @Nullable
        NodeId peer;

        @Nullable
        Role role;

        @Nullable
        PeerAddress listen;

        long since;

        @Nullable
        PexGuard guard;

        LinkEntry(long id, Direction direction, PeerAddress remote, @Nullable DialEntry dial) {
            this.id = id;
            this.direction = direction;
            this.remote = remote;
            this.dial = dial;
        }
    }
}
