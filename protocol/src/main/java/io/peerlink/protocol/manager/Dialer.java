package io.peerlink.protocol.manager;

import static java.util.Objects.requireNonNull;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.Role;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.trust.TrustRegistry;
import io.peerlink.protocol.dial.DialTargets;
import io.peerlink.protocol.handshake.BanList;
import io.peerlink.protocol.pex.RecordBook;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Dial plans and attempts: whether a dial is refused, joins one under way, finds a link or starts; an attempt that
 * fails retryably is retried after the {@link Backoff}, up to {@code dial.maxAttempts}, then its address cools down
 * and {@code DialFailed} is published.
 */
final class Dialer {
    private final ManagerSettings settings;
    private final NodeConfig config;
    private final TrustRegistry trust;
    private final RandomGenerator random;
    private final Rules rules;
    private final DialTargets targets;
    private final BanList bans;
    private final Cooldowns cooldowns;
    private final RecordBook book;
    private final LinkTable links;
    private final DialTable dials;
    private final Outbox out;

    Dialer(
            ManagerSettings settings,
            TrustRegistry trust,
            RandomGenerator random,
            Rules rules,
            BanList bans,
            Cooldowns cooldowns,
            RecordBook book,
            LinkTable links,
            DialTable dials,
            Outbox out) {
        this.settings = settings;
        this.config = settings.config();
        this.trust = trust;
        this.random = random;
        this.rules = rules;
        this.targets = new DialTargets(settings.self(), config.role(), settings.ownAddress());
        this.bans = bans;
        this.cooldowns = cooldowns;
        this.book = book;
        this.links = links;
        this.dials = dials;
        this.out = out;
    }

    /** What a request to dial {@code address} (expecting {@code expected}) would do now. Changes nothing. */
    DialPlan plan(PeerAddress address, @Nullable NodeId expected) {
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
                LinkEntry l = expected != null ? links.registered(expected) : links.linkAt(address);
                yield new DialPlan.Existing(requireNonNull(requireNonNull(l).peer), l.id);
            }
            case IN_FLIGHT -> {
                DialEntry d = dials.byKey(key);
                if (d == null) {
                    d = requireNonNull(dials.byAddress(address));
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
                return links.isLinked(id);
            }

            @Override
            public boolean connected(PeerAddress address) {
                return links.linkAt(address) != null;
            }

            @Override
            public boolean dialing(NodeId id) {
                return key instanceof DialKey.ById && dials.dialing(key);
            }

            @Override
            public boolean dialing(PeerAddress address) {
                return dials.dialing(address) || dials.dialing(key);
            }
        };
    }

    void onDialRequested(PeerAddress address, @Nullable NodeId expected) {
        DialPlan plan = plan(address, expected);
        if (plan instanceof DialPlan.Start s) {
            start(s.key(), address, expected, false, false);
        } else if (plan instanceof DialPlan.Refuse r) {
            out.emit(new ManagerAction.Publish(new PeerEvent.DialFailed(address, expected, r.reason(), r.detail())));
        }
    }

    /** Starts a dial and returns its id; a mesh dial holds one of the {@code dial.meshDialsInFlight} slots until it ends or expires. */
    long start(DialKey key, PeerAddress address, @Nullable NodeId expected, boolean once, boolean mesh) {
        DialEntry d = dials.open(key, address, expected, once);
        if (mesh) {
            dials.takeSlot(d);
            out.emit(new ManagerAction.Schedule(out.now() + settings.slotNanos(), new Timer.SlotExpiry(d.id)));
        }
        out.emit(new ManagerAction.Dial(d.id, address, expected));
        return d.id;
    }

    void onConnectFailed(ManagerEvent.ConnectFailed f) {
        DialEntry dial = dials.get(f.dialId());
        if (dial != null && dial.linkId < 0 && !dial.waiting) {
            attemptFailed(dial, DisconnectReason.CONNECTION_CLOSED, f.detail(), false);
        }
    }

    /** One attempt of {@code dial} failed: retry after the backoff if that may help, else give up. */
    void attemptFailed(DialEntry dial, DisconnectReason reason, String detail, boolean connected) {
        long now = out.now();
        dial.linkId = -1;
        if (reason.retryable() && !dial.once && dial.attempt < config.dial().maxAttempts()) {
            dial.waiting = true;
            long wait = Backoff.nanos(config.dial(), dial.attempt, random);
            out.emit(new ManagerAction.Schedule(now + wait, new Timer.Retry(dial.id, dial.attempt)));
            return;
        }
        dials.end(dial);
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
        out.emit(new ManagerAction.Publish(new PeerEvent.DialFailed(dial.address, expected, reason, why)));
    }

    void retry(Timer.Retry t) {
        DialEntry dial = dials.get(t.dialId());
        if (dial == null || !dial.waiting || dial.attempt != t.attempt()) {
            return;
        }
        dial.waiting = false;
        if (dial.expected != null && links.isLinked(dial.expected)) {
            dials.end(dial);
            return;
        }
        dial.attempt++;
        out.emit(new ManagerAction.Dial(dial.id, dial.address, dial.expected));
    }

    void onSlotExpiry(Timer.SlotExpiry s) {
        DialEntry d = dials.get(s.dialId());
        if (d != null) {
            dials.releaseSlot(d);
        }
    }
}
