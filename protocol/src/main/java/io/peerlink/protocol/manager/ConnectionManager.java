package io.peerlink.protocol.manager;

import static java.util.Objects.requireNonNull;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.trust.TrustRegistry;
import io.peerlink.protocol.handshake.BanList;
import io.peerlink.protocol.pex.DialBudget;
import io.peerlink.protocol.pex.RecordBook;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.ObjLongConsumer;
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
 * exchange signed address records every {@code pexInterval} and announce newcomers; a gateway or observer asks its
 * validators too and stays linked to {@code attachTo} of them, dialing another at once when one is lost
 * ({@link Attachments}); a revoked peer is closed and forgotten.
 *
 * <pre>{@code
 * ConnectionManager m = new ConnectionManager(settings, trust, new SplittableRandom(seed));
 * for (ManagerAction a : m.handle(new ManagerEvent.Start(), now)) carryOut(a);
 * }</pre>
 */
public final class ConnectionManager {

    private final ManagerSettings settings;
    private final NodeConfig config;
    private final BanList bans;
    private final Outbox out = new Outbox();
    private final RecordBook book = new RecordBook();
    private final LinkTable links;
    private final DialTable dials;
    private final Dialer dialer;
    private final MeshUpkeep mesh;
    private final Exchange exchange;
    private final Attachments attachments;
    private final Registrar registrar;
    private final Cooldowns cooldowns;

    public ConnectionManager(ManagerSettings settings, TrustRegistry trust, RandomGenerator random) {
        this(settings, trust, random, Rules.STANDARD);
    }

    /** With other {@link Rules} (the simulator's planted bugs); production uses {@link Rules#STANDARD}. */
    public ConnectionManager(ManagerSettings settings, TrustRegistry trust, RandomGenerator random, Rules rules) {
        this.settings = requireNonNull(settings, "settings");
        this.config = settings.config();
        requireNonNull(trust, "trust");
        requireNonNull(random, "random");
        requireNonNull(rules, "rules");
        this.cooldowns = new Cooldowns(
                config.dial().redialInterval().toNanos(),
                config.pex().notPeerlinkCooldown().toNanos());
        DialBudget budget = new DialBudget(
                config.pex().newAddressDialsPerMinute(), config.pex().newAddressDialsPerNodePerMinute(), out::now);
        this.bans = new BanList(config.pex().banDuration(), out::now);
        for (NodeId id : config.banned()) {
            bans.banForever(id);
        }
        this.links = new LinkTable(out, settings.epoch());
        this.dials = new DialTable(this::slotFreed);
        this.dialer = new Dialer(settings, trust, random, rules, bans, cooldowns, book, links, dials, out);
        this.mesh = new MeshUpkeep(settings, trust, bans, cooldowns, budget, book, links, dials, dialer, out);
        this.attachments = new Attachments(
                settings, trust, bans, cooldowns, budget, book, links, dials, dialer, random, rules, out);
        this.exchange = new Exchange(settings, trust, bans, cooldowns, book, links, mesh, attachments, out);
        this.registrar = new Registrar(
                settings, trust, rules, cooldowns, book, links, dials, dialer, mesh, exchange, attachments, out);
    }

    private void slotFreed() {
        mesh.refill();
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
        out.begin(nowNanos);
        if (event instanceof ManagerEvent.Start) {
            mesh.onStart();
            attachments.attach();
        } else if (event instanceof ManagerEvent.DialRequested d) {
            dialer.onDialRequested(d.address(), d.expected());
        } else if (event instanceof ManagerEvent.Connected c) {
            registrar.onConnected(c);
        } else if (event instanceof ManagerEvent.ConnectFailed f) {
            dialer.onConnectFailed(f);
        } else if (event instanceof ManagerEvent.HandshakeAccepted a) {
            registrar.onAccepted(a.linkId(), a.peer());
        } else if (event instanceof ManagerEvent.HandshakeRejected r) {
            registrar.onRejected(r);
        } else if (event instanceof ManagerEvent.LinkLost l) {
            registrar.onLost(l);
        } else if (event instanceof ManagerEvent.TrustChanged t) {
            registrar.onTrustChange(t.change());
        } else if (event instanceof ManagerEvent.PexRequested p) {
            exchange.onRequest(p.linkId());
        } else if (event instanceof ManagerEvent.PexAnswered p) {
            exchange.onAnswer(p);
        } else if (event instanceof ManagerEvent.TimerFired t) {
            onTimer(t.timer());
        }
        attachments.afterEvent();
        return out.drain();
    }

    private void onTimer(Timer timer) {
        if (timer instanceof Timer.Tick) {
            long ticks = mesh.tick();
            exchange.onTick(ticks);
            attachments.attach();
        } else if (timer instanceof Timer.Retry r) {
            dialer.retry(r);
        } else if (timer instanceof Timer.SlotExpiry s) {
            dialer.onSlotExpiry(s);
        } else if (timer instanceof Timer.OrphanExpiry o) {
            registrar.onOrphanExpiry(o);
        }
    }

    /** What a request to dial {@code address} (expecting {@code expected}) would do now. Changes nothing. */
    public DialPlan plan(PeerAddress address, @Nullable NodeId expected) {
        requireNonNull(address, "address");
        return dialer.plan(address, expected);
    }

    // ---------------------------------------------------------------- read-only views (shell, tests, simulator)

    /** A snapshot: the registered link id of each linked peer, in id order. */
    public NavigableMap<NodeId, Long> linked() {
        TreeMap<NodeId, Long> m = new TreeMap<>();
        links.byPeer().forEach((id, l) -> m.put(id, l.id));
        return Collections.unmodifiableNavigableMap(m);
    }

    /** Calls {@code visitor} with each linked peer and its registered link id, in id order, without copying. */
    public void forEachLinked(ObjLongConsumer<NodeId> visitor) {
        for (Map.Entry<NodeId, LinkEntry> e : links.byPeer().entrySet()) {
            visitor.accept(e.getKey(), e.getValue().id);
        }
    }

    /** The registered link of {@code peer}, or -1. */
    public long linkOf(NodeId peer) {
        LinkEntry l = links.registered(peer);
        return l == null ? -1 : l.id;
    }

    /** Whether {@code peer} has a registered link. */
    public boolean isLinked(NodeId peer) {
        return links.isLinked(peer);
    }

    /** Registered links. */
    public int linkCount() {
        return links.linkCount();
    }

    /** Links the shell reported that are not registered (handshaking). */
    public int pendingCount() {
        return links.reportedCount() - links.linkCount();
    }

    /** Dials under way (connecting, handshaking or waiting to retry). */
    public int dialCount() {
        return dials.size();
    }

    /** Mesh dials holding a slot. */
    public int meshDialsInFlight() {
        return dials.meshDials();
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
        DialEntry d = dials.byKey(key);
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
}
