package io.peerlink.protocol.manager;

import static java.util.Objects.requireNonNull;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.trust.TrustRegistry;
import io.peerlink.protocol.handshake.BanList;
import io.peerlink.protocol.pex.DialBudget;
import io.peerlink.protocol.pex.RecordBook;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * How a gateway or observer stays attached to the validators (the transport's {@code Attachments}): it keeps links
 * to at least {@code attachTo} validators, its seeds first and then validators learned by peer exchange, and when
 * one is lost it dials another at once, preferring validators it has not lost lately (never lost first, then the
 * longest ago; ties in a random order, which spreads a network's observers over its validators). Each attach dial
 * is a single attempt; one that fails cools its address down and the next candidate is tried.
 *
 * <p>A seed dial counts towards {@code attachTo} only while an attempt of it is under way: one waiting out its
 * backoff is a seed that is down, and counting it would keep an observer on fewer validators until that dial gave
 * up.
 */
final class Attachments {
    private final ManagerSettings settings;
    private final TrustRegistry trust;
    private final BanList bans;
    private final Cooldowns cooldowns;
    private final DialBudget budget;
    private final RecordBook book;
    private final LinkTable links;
    private final DialTable dials;
    private final Dialer dialer;
    private final RandomGenerator random;
    private final Rules rules;
    private final Outbox out;

    /** The attach dials under way (dial ids). */
    private final Set<Long> attaching = new HashSet<>();
    /** When each validator's link was last lost: those are tried last. */
    private final Map<NodeId, Long> lostAt = new HashMap<>();
    /** A validator link was lost during this event: attach again when it is handled. */
    private boolean lostOne;

    Attachments(
            ManagerSettings settings,
            TrustRegistry trust,
            BanList bans,
            Cooldowns cooldowns,
            DialBudget budget,
            RecordBook book,
            LinkTable links,
            DialTable dials,
            Dialer dialer,
            RandomGenerator random,
            Rules rules,
            Outbox out) {
        this.settings = settings;
        this.trust = trust;
        this.bans = bans;
        this.cooldowns = cooldowns;
        this.budget = budget;
        this.book = book;
        this.links = links;
        this.dials = dials;
        this.dialer = dialer;
        this.random = random;
        this.rules = rules;
        this.out = out;
    }

    /** Whether this node keeps attachments at all (a gateway or observer with {@code attachTo > 0}). */
    boolean active() {
        return !settings.role().isValidator() && settings.attachTo() > 0 && rules.keepAttachments();
    }

    /** A validator link of this node was lost: that validator is tried last from now on. */
    void lost(NodeId id) {
        if (active()) {
            lostAt.put(id, out.now());
            lostOne = true;
        }
    }

    /**
     * After every event: a lost validator link is replaced at once, and an attach dial that ended (linked or
     * failed) makes room for the next candidate.
     */
    void afterEvent() {
        boolean ended = !attaching.isEmpty() && attaching.removeIf(id -> dials.get(id) == null);
        if (ended || lostOne) {
            lostOne = false;
            attach();
        }
    }

    /** Dials known validators until {@code attachTo} are linked or being dialed. */
    void attach() {
        if (!active()) {
            return;
        }
        Set<Long> counted = new HashSet<>(attaching);
        for (PeerAddress seed : settings.config().seeds()) {
            DialEntry d = dials.byAddress(seed);
            if (d != null && !d.waiting) {
                counted.add(d.id);
            }
        }
        int want = settings.attachTo() - linkedValidators() - counted.size();
        if (want <= 0) {
            return;
        }
        long now = out.now();
        for (NodeId id : candidates()) {
            if (want <= 0) {
                return;
            }
            if (links.isLinked(id)
                    || bans.banned(id)
                    || !trust.roleOf(id).map(Role::isValidator).orElse(false)) {
                continue;
            }
            PeerAddress address = readyAddress(id, now);
            if (address == null) {
                continue;
            }
            DialPlan plan = dialer.plan(address, id);
            if (plan instanceof DialPlan.Join j) {
                DialEntry d = dials.get(j.dialId());
                if (d != null && !d.waiting && counted.add(d.id)) {
                    want--; // an operator's dial of it with an attempt under way: a validator link to be
                }
                continue;
            }
            if (!(plan instanceof DialPlan.Start s) || dials.abandoned(s.key())) {
                continue;
            }
            if (!book.wasLinkedAt(id, address) && budget.tryAcquire(id) != DialBudget.Verdict.ALLOWED) {
                continue;
            }
            want--;
            attaching.add(dialer.start(s.key(), address, id, true, false));
        }
    }

    private int linkedValidators() {
        int n = 0;
        for (LinkEntry l : links.registered()) {
            if (requireNonNull(l.role).isValidator()) {
                n++;
            }
        }
        return n;
    }

    /** Known validators, never lost first, then the longest ago; ties in a random order. */
    private List<NodeId> candidates() {
        List<NodeId> ids = new ArrayList<>(book.ids());
        for (int i = ids.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            NodeId t = ids.get(i);
            ids.set(i, ids.get(j));
            ids.set(j, t);
        }
        ids.sort(Comparator.comparingLong(id -> lostAt.getOrDefault(id, Long.MIN_VALUE)));
        return ids;
    }

    private @Nullable PeerAddress readyAddress(NodeId id, long now) {
        for (PeerAddress a : book.targets(id)) {
            if (cooldowns.ready(a, now)) {
                return a;
            }
        }
        return null;
    }
}
