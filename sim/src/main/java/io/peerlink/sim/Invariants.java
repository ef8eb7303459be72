package io.peerlink.sim;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.protocol.manager.ConnectionManager;
import io.peerlink.protocol.manager.ManagerAction;
import io.peerlink.protocol.manager.ManagerEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The properties every run must keep, checked after every step (the cheap ones on every event, the ones that walk
 * the whole network on a sweep every virtual second). The first one broken stops the run. Names, as printed:
 *
 * <ul>
 *   <li>{@code one-link-per-pair}: two validators that hold a link to each other hold the same one, within a
 *       settling time (one heartbeat bound and one handshake timeout, the longest a close can take to reach the
 *       other end);
 *   <li>{@code tie-break-agreement}: the two ends never keep different links of a pair, each closing the one the
 *       other kept;
 *   <li>{@code one-dial-per-peer}: a node never has two connections open at once to the node id it dialed (dials
 *       of one id share one attempt);
 *   <li>{@code authenticated-only}: every link a manager counts finished its handshake at that end, with that
 *       peer, and the peer is trusted in the node's current trust file;
 *   <li>{@code loss-detected}: a link whose peer went silent (killed, partitioned) is dropped within the heartbeat
 *       detection bound (plus 1 s of slack);
 *   <li>{@code mesh-complete}: from {@code meshBound} after the last fault heals, every two live, trusted validators
 *       are linked and every live non-validator is linked to each of its seeds;
 *   <li>{@code attached}: from {@code meshBound} after the last fault heals, every live gateway and observer is
 *       linked to at least {@code attachTo} validators (or to every live one, if fewer);
 *   <li>{@code no-redial-storm}: a node starts at most {@code maxDialsPerNodePerSecond} dials per virtual second, and
 *       at most {@code maxDialsPerTargetPerSecond} to one address;
 *   <li>{@code bounded-queues}: the event queue, and each manager's dials, handshaking links and cooldowns stay
 *       within fixed bounds.
 * </ul>
 */
final class Invariants {
    private final Simulation sim;
    private final long settleNanos;
    private final long lossBoundNanos;
    private final long meshDeadlineNanos;
    private final Map<Long, Long> disagreeSince = new HashMap<>();
    private final long[] dialSecond;
    private final int[] dialCount;
    private final Map<Long, int[]> targetDials = new HashMap<>();
    private long targetSecond = -1;
    private long checks;
    private final java.util.ArrayList<NodeId> linkedPeers = new java.util.ArrayList<>();
    private final java.util.ArrayList<Long> linkedIds = new java.util.ArrayList<>();
    private SimResult.@Nullable Violation violation;

    Invariants(Simulation sim) {
        this.sim = sim;
        long bound = sim.config.heartbeat().detectionBound().toNanos();
        this.lossBoundNanos = bound + 1000 * Simulation.MS;
        this.settleNanos = bound + sim.config.timeouts().handshake().toNanos() + 1000 * Simulation.MS;
        long lastHeal = 0;
        for (Fault f : sim.schedule) {
            lastHeal = Math.max(lastHeal, f.endMillis() + 1000);
        }
        this.meshDeadlineNanos = (lastHeal + sim.options.meshBound().toMillis()) * Simulation.MS;
        this.dialSecond = new long[sim.nodes.length];
        this.dialCount = new int[sim.nodes.length];
    }

    SimResult.@Nullable Violation violation() {
        return violation;
    }

    long checks() {
        return checks;
    }

    long meshDeadlineMillis() {
        return meshDeadlineNanos / Simulation.MS;
    }

    private void fail(String name, String detail) {
        if (violation == null) {
            violation = new SimResult.Violation(name, sim.now / Simulation.MS, detail);
        }
    }

    void afterStep(SimNode n, ManagerEvent event, List<ManagerAction> actions) {
        checks++;
        ConnectionManager m = n.manager;
        if (m == null) {
            return;
        }
        int dialBound = sim.options.validators() + n.config.seeds().size() + 64;
        if (m.dialCount() > dialBound) {
            fail("bounded-queues", n + " has " + m.dialCount() + " dials under way (bound " + dialBound + ")");
        }
    }

    void onDial(SimNode n, ManagerAction.Dial d) {
        checks++;
        long second = sim.now / 1_000_000_000L;
        if (dialSecond[n.index] != second) {
            dialSecond[n.index] = second;
            dialCount[n.index] = 0;
        }
        if (++dialCount[n.index] > sim.options.maxDialsPerNodePerSecond()) {
            fail(
                    "no-redial-storm",
                    n + " started " + dialCount[n.index] + " dials within second " + second + " (bound "
                            + sim.options.maxDialsPerNodePerSecond() + ")");
        }
        if (second != targetSecond) {
            targetSecond = second;
            targetDials.clear();
        }
        long key = ((long) n.index << 32) | (d.address().hashCode() & 0xffffffffL);
        int[] c = targetDials.computeIfAbsent(key, k -> new int[1]);
        if (++c[0] > sim.options.maxDialsPerTargetPerSecond()) {
            fail(
                    "no-redial-storm",
                    n + " dialed " + d.address() + " " + c[0] + " times within second " + second + " (bound "
                            + sim.options.maxDialsPerTargetPerSecond() + ")");
        }
    }

    /** A new outbound connection of {@code n}: no other one of {@code n} may be open to the same expected id. */
    void onSocket(SimNode n, Sock s) {
        checks++;
        NodeId expected = s.expected;
        if (expected == null) {
            return;
        }
        for (Sock other : n.sockets.values()) {
            if (other != s
                    && other.node(0) == n
                    && other.open[0]
                    && !other.auth[0]
                    && other.expected != null
                    && expected.equals(other.expected)) {
                fail(
                        "one-dial-per-peer",
                        n + " has two connections (" + other.id + ", " + s.id + ") dialing " + expected.shortString());
                return;
            }
        }
    }

    /** {@code n} closes {@code s} as a duplicate: the link it keeps must not be one the peer closed as a duplicate. */
    void onDuplicateClosed(SimNode n, Sock s) {
        checks++;
        int end = s.endOf(n);
        s.dupClosed[end] = true;
        NodeId peer = s.peer[end] != null ? s.peer[end] : null;
        ConnectionManager m = n.manager;
        if (peer == null || m == null) {
            return;
        }
        long kept = m.linkOf(peer);
        s.keptInstead[end] = kept;
        Sock k = kept < 0 ? null : n.sockets.get(kept);
        SimNode other = s.node(1 - end);
        if (k != null && k != s && k.endOf(n) == 1 - k.endOf(other)) {
            int theirs = 1 - k.endOf(n);
            // the kept link's other end died with the peer's previous boot: the newer incarnation must take over
            if (!k.open[theirs] && other.alive && other.killedAt >= 0 && k.closedAt[theirs] <= other.killedAt) {
                fail(
                        "restart-takeover",
                        n + " keeps link " + k.id + " of " + other + "'s previous boot (half-dead since "
                                + k.closedAt[theirs] / Simulation.MS + " ms) and closes " + s.id
                                + " of its new boot as the duplicate");
                return;
            }
        }
        // the simultaneous open decided both ways: each end closed the link the other kept
        if (k != null
                && k != s
                && k.node(0) != s.node(0)
                && k.dupClosed[1 - k.endOf(n)]
                && k.keptInstead[1 - k.endOf(n)] == s.id) {
            fail(
                    "tie-break-agreement",
                    n + " keeps link " + k.id + " to " + peer.shortString() + " and closes " + s.id
                            + ", while the peer closed " + k.id + " as the duplicate");
        }
    }

    void sweep() {
        SimNode[] nodes = sim.nodes;
        if (sim.queueSize() > 2_000 * nodes.length) {
            fail("bounded-queues", "event queue holds " + sim.queueSize() + " events");
        }
        int pendingBound =
                sim.config.limits().maxPendingHandshakes() + sim.config.limits().maxPendingOutbound();
        for (SimNode n : nodes) {
            ConnectionManager m = n.manager;
            if (!n.alive || m == null) {
                continue;
            }
            checks++;
            if (m.pendingCount() > pendingBound) {
                fail(
                        "bounded-queues",
                        n + " has " + m.pendingCount() + " links handshaking (bound " + pendingBound + ")");
            }
            if (m.cooldownCount() > 4 * sim.options.validators() + 64) {
                fail("bounded-queues", n + " keeps " + m.cooldownCount() + " cooldowns");
            }
            linkedPeers.clear();
            linkedIds.clear();
            m.forEachLinked((p, l) -> {
                linkedPeers.add(p);
                linkedIds.add(l);
            });
            for (int li = 0; li < linkedPeers.size(); li++) {
                checks++;
                NodeId peer = linkedPeers.get(li);
                long linkId = linkedIds.get(li);
                Sock s = n.sockets.get(linkId);
                int end = s == null ? -1 : s.endOf(n);
                if (s == null || !s.open[end] || !s.auth[end] || !peer.equals(s.peer[end])) {
                    fail(
                            "authenticated-only",
                            n + " counts " + peer.shortString() + " on link " + linkId
                                    + " which is not authenticated at its end");
                    return;
                }
                if (!n.trustView.containsKey(peer)) {
                    fail("authenticated-only", n + " counts " + peer.shortString() + ", which its trust file revoked");
                    return;
                }
                int dir = 1 - end;
                long since = s.blockedSince[dir];
                if (since >= 0 && sim.now - since > lossBoundNanos) {
                    fail(
                            "loss-detected",
                            n + " still counts " + peer.shortString() + " " + (sim.now - since) / Simulation.MS
                                    + " ms after it went silent");
                    return;
                }
                SimNode other = sim.byId.get(peer);
                if (n.role.isValidator() && other != null && other.role.isValidator() && n.index < other.index) {
                    long pair = (long) n.index * nodes.length + other.index;
                    ConnectionManager om = other.manager;
                    long theirs = om == null ? -1 : om.linkOf(n.id);
                    if (theirs >= 0 && theirs != s.id) {
                        Long t0 = disagreeSince.putIfAbsent(pair, sim.now);
                        if (t0 != null && sim.now - t0 > settleNanos) {
                            fail(
                                    "one-link-per-pair",
                                    n + " and " + other + " count different links (" + s.id + ", " + theirs + ") for "
                                            + (sim.now - t0) / Simulation.MS + " ms");
                            return;
                        }
                    } else {
                        disagreeSince.remove(pair);
                    }
                }
            }
        }
        restartTakeover();
        if (sim.now >= meshDeadlineNanos) {
            meshComplete();
        }
    }

    /**
     * A validator that restarted (killed, no FIN: its peers' ends of the old links stay half-dead until heartbeats
     * miss) is linked, with a link of its new incarnation, to each validator it names as a seed within the restart
     * bound, provided that seed stayed up and nothing disturbed the network since the restart (no partition, loss or
     * trust edit in force or ended since, neither end slow): the seed takes the new link over at once.
     */
    private void restartTakeover() {
        long bound = sim.options.restartBound().toNanos();
        for (int i = 0; i < sim.options.validators(); i++) {
            SimNode r = sim.nodes[i];
            ConnectionManager rm = r.manager;
            // checked once, at the first sweep past the bound (sweeps are 1 s apart)
            if (!r.alive
                    || rm == null
                    || r.killedAt < 0
                    || sim.now - r.bootedAt < bound
                    || sim.now - r.bootedAt >= bound + 1000 * Simulation.MS) {
                continue;
            }
            for (io.peerlink.core.PeerAddress seed : r.config.seeds()) {
                Integer si = sim.addresses.get(seed);
                SimNode v = si == null ? null : sim.nodes[si];
                ConnectionManager vm = v == null ? null : v.manager;
                if (v == null
                        || vm == null
                        || !v.alive
                        || v.bootedAt > r.killedAt
                        || sim.faults.lastDisturbanceEnd() > r.bootedAt
                        || sim.faults.disturbed(r.index, v.index)) {
                    continue;
                }
                checks++;
                long mine = rm.linkOf(v.id);
                long theirs = vm.linkOf(r.id);
                if (mine < 0 || mine != theirs) {
                    fail(
                            "restart-takeover",
                            r + " restarted " + (sim.now - r.bootedAt) / Simulation.MS
                                    + " ms ago and is not linked to its" + " seed " + v + " (its link " + mine
                                    + ", the seed's " + theirs + ")");
                    return;
                }
            }
        }
    }

    void finalCheck() {
        sweep();
        if (sim.now >= meshDeadlineNanos) {
            meshComplete();
        }
    }

    private void meshComplete() {
        Map<NodeId, io.peerlink.core.Role> trust = sim.faults.trust();
        SimNode[] nodes = sim.nodes;
        int v = sim.options.validators();
        int liveValidators = 0;
        for (int j = 0; j < v; j++) {
            if (nodes[j].alive && trust.containsKey(nodes[j].id)) {
                liveValidators++;
            }
        }
        int attachTo = Math.min(sim.options.attachTo(), liveValidators);
        for (int i = 0; i < nodes.length; i++) {
            SimNode a = nodes[i];
            if (!a.alive || a.manager == null || !trust.containsKey(a.id)) {
                continue;
            }
            if (a.role.isValidator()) {
                for (int j = i + 1; j < v; j++) {
                    checks++;
                    SimNode b = nodes[j];
                    if (b.alive && trust.containsKey(b.id) && !a.manager.isLinked(b.id)) {
                        fail(
                                "mesh-complete",
                                a + " is not linked to " + b + " " + (sim.now - meshDeadlineNanos) / Simulation.MS
                                        + " ms after the mesh deadline (last heal + "
                                        + sim.options.meshBound().toSeconds() + " s)");
                        return;
                    }
                }
            } else {
                for (PeerAddress seed : a.config.seeds()) {
                    checks++;
                    SimNode b = nodes[java.util.Objects.requireNonNull(sim.addresses.get(seed))];
                    if (b.alive && trust.containsKey(b.id) && !a.manager.isLinked(b.id)) {
                        fail(
                                "mesh-complete",
                                a + " is not linked to its seed " + b + " "
                                        + (sim.now - meshDeadlineNanos) / Simulation.MS
                                        + " ms after the mesh deadline");
                        return;
                    }
                }
                checks++;
                int[] attached = {0};
                a.manager.forEachLinked((id, link) -> {
                    io.peerlink.core.Role role = trust.get(id);
                    if (role != null && role.isValidator()) {
                        attached[0]++;
                    }
                });
                if (attached[0] < attachTo) {
                    fail(
                            "attached",
                            a + " is linked to " + attached[0] + " validator(s), fewer than attach-to " + attachTo
                                    + ", " + (sim.now - meshDeadlineNanos) / Simulation.MS
                                    + " ms after the mesh deadline");
                    return;
                }
            }
        }
    }

    /** The network now, for the report. */
    SimResult.Sample sample(int dials, int faults) {
        Map<NodeId, io.peerlink.core.Role> trust = sim.faults.trust();
        SimNode[] nodes = sim.nodes;
        int v = sim.options.validators();
        int expected = 0;
        int linked = 0;
        int links = 0;
        for (SimNode n : nodes) {
            if (n.alive && n.manager != null) {
                links += n.manager.linkCount();
            }
        }
        for (int i = 0; i < v; i++) {
            SimNode a = nodes[i];
            if (!a.alive || a.manager == null || !trust.containsKey(a.id)) {
                continue;
            }
            for (int j = i + 1; j < v; j++) {
                SimNode b = nodes[j];
                if (!b.alive || b.manager == null || !trust.containsKey(b.id)) {
                    continue;
                }
                expected++;
                long x = a.manager.linkOf(b.id);
                if (x >= 0 && x == b.manager.linkOf(a.id)) {
                    linked++;
                }
            }
        }
        return new SimResult.Sample(
                sim.now / Simulation.MS, expected == 0 ? 1.0 : (double) linked / expected, links, dials, faults);
    }
}
