package io.peerlink.protocol.manager;

import static java.util.Objects.requireNonNull;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.trust.TrustRegistry;
import io.peerlink.protocol.handshake.BanList;
import io.peerlink.protocol.pex.DialBudget;
import io.peerlink.protocol.pex.RecordBook;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeping the mesh: every tick the seeds that are not linked are dialed again (which is also the re-bootstrap when
 * every peer is gone), and a validator redials the validators it knows and is not linked to, at most
 * {@code dial.meshDialsInFlight} at a time, new learned addresses only within the {@link DialBudget}.
 */
final class MeshUpkeep {
    private final ManagerSettings settings;
    private final NodeConfig config;
    private final NodeId self;
    private final TrustRegistry trust;
    private final BanList bans;
    private final Cooldowns cooldowns;
    private final DialBudget budget;
    private final RecordBook book;
    private final LinkTable links;
    private final DialTable dials;
    private final Dialer dialer;
    private final Outbox out;

    /** The node each seed address turned out to be. */
    private final Map<PeerAddress, NodeId> seedIds = new HashMap<>();

    private long ticks;
    private boolean refilling;
    private boolean started;

    MeshUpkeep(
            ManagerSettings settings,
            TrustRegistry trust,
            BanList bans,
            Cooldowns cooldowns,
            DialBudget budget,
            RecordBook book,
            LinkTable links,
            DialTable dials,
            Dialer dialer,
            Outbox out) {
        this.settings = settings;
        this.config = settings.config();
        this.self = settings.self();
        this.trust = trust;
        this.bans = bans;
        this.cooldowns = cooldowns;
        this.budget = budget;
        this.book = book;
        this.links = links;
        this.dials = dials;
        this.dialer = dialer;
        this.out = out;
    }

    void onStart() {
        if (started) {
            return;
        }
        started = true;
        dialSeeds();
        refill();
        out.emit(new ManagerAction.Schedule(out.now() + settings.tickNanos(), Timer.TICK));
    }

    /** One tick: the next is scheduled, seeds and (on a validator) the mesh are redialed; returns the tick count. */
    long tick() {
        ticks++;
        out.emit(new ManagerAction.Schedule(out.now() + settings.tickNanos(), Timer.TICK));
        dialSeeds();
        if (config.role().isValidator()) {
            refill();
        }
        return ticks;
    }

    /** {@code address}, a seed, turned out to be {@code id}. */
    void seedLinked(PeerAddress address, NodeId id) {
        if (config.seeds().contains(address)) {
            seedIds.put(address, id);
        }
    }

    void forget(NodeId id) {
        seedIds.values().removeIf(id::equals);
    }

    /** Dials every seed whose node is not linked (at start, every tick, and so when every peer is gone). */
    private void dialSeeds() {
        long now = out.now();
        for (PeerAddress seed : config.seeds()) {
            NodeId id = seedIds.get(seed);
            if (id == null) {
                LinkEntry at = links.linkAt(seed);
                if (at != null) {
                    id = at.peer;
                    seedIds.put(seed, requireNonNull(id));
                }
            }
            if ((id != null && links.isLinked(id)) || !cooldowns.ready(seed, now)) {
                continue;
            }
            DialPlan plan = dialer.plan(seed, null);
            if (plan instanceof DialPlan.Start s && !dials.abandoned(s.key())) {
                dialer.start(s.key(), seed, null, false, false);
            }
        }
    }

    /** Starts dials of known validators that are not linked while mesh-dial slots are free. Not reentrant. */
    void refill() {
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
    boolean dialNext(NodeId id) {
        if (dials.meshDials() >= config.dial().meshDialsInFlight()) {
            return false;
        }
        if (id.equals(self)
                || links.isLinked(id)
                || bans.banned(id)
                || !trust.roleOf(id).map(Role::isValidator).orElse(false)) {
            return true;
        }
        long now = out.now();
        for (PeerAddress address : book.targets(id)) {
            if (!cooldowns.ready(address, now)) {
                continue;
            }
            DialPlan plan = dialer.plan(address, id);
            if (!(plan instanceof DialPlan.Start s)) {
                return true;
            }
            if (dials.abandoned(s.key())) {
                return true;
            }
            boolean fresh = !book.wasLinkedAt(id, address);
            if (fresh && budget.tryAcquire(id) != DialBudget.Verdict.ALLOWED) {
                return true;
            }
            dialer.start(s.key(), address, id, fresh, true);
            return true;
        }
        return true;
    }
}
