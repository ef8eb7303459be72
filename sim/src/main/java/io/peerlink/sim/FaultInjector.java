package io.peerlink.sim;

import io.peerlink.core.NodeId;
import io.peerlink.core.Role;
import io.peerlink.core.trust.TrustChange;
import io.peerlink.protocol.manager.ManagerEvent;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Starts and ends the scheduled {@link Fault}s: partitions, loss and slow nodes go to the {@link Network}; kills
 * and flaps stop and restart nodes; revocations edit the trust file, which reaches each node 0.5-1 s later.
 */
final class FaultInjector {
    private final Simulation sim;
    private final Network network;
    private Map<NodeId, Role> trust;
    private long trustVersion;
    private long lastDisturbanceEnd = -1;

    FaultInjector(Simulation sim, Network network, Map<NodeId, Role> trust) {
        this.sim = sim;
        this.network = network;
        this.trust = trust;
    }

    /** Virtual time the latest partition, one-way partition, loss burst, slow node or trust edit ended (-1: none). */
    long lastDisturbanceEnd() {
        return lastDisturbanceEnd;
    }

    /** Whether a partition, loss burst or trust edit is in force, or node {@code a} or {@code b} is slow. */
    boolean disturbed(int a, int b) {
        for (Fault f : network.active) {
            switch (f.kind()) {
                case PARTITION, ONE_WAY, LOSS, REVOKE -> {
                    return true;
                }
                case SLOW -> {
                    if (f.nodes().contains(a) || f.nodes().contains(b)) {
                        return true;
                    }
                }
                default -> {}
            }
        }
        return false;
    }

    long trustVersion() {
        return trustVersion;
    }

    void faultStart(Fault f) {
        switch (f.kind()) {
            case PARTITION, ONE_WAY -> {
                BitSet side = new BitSet(sim.nodes.length);
                f.nodes().forEach(side::set);
                network.sides.put(f, side);
                network.active.add(f);
                network.reassessPaths();
            }
            case KILL -> {
                network.active.add(f);
                sim.kill(sim.nodes[f.nodes().get(0)], false);
            }
            case FLAP -> {
                network.active.add(f);
                flap(sim.nodes[f.nodes().get(0)], 0, f);
            }
            case SLOW -> {
                network.active.add(f);
                network.slowExtra[f.nodes().get(0)] = f.amount() * Simulation.MS;
            }
            case LOSS -> network.active.add(f);
            case REVOKE -> {
                network.active.add(f);
                Map<NodeId, Role> next = new HashMap<>(trust);
                next.remove(sim.nodes[f.nodes().get(0)].id);
                publishTrust(next);
            }
            case DUAL_DIAL -> {
                SimNode from = sim.nodes[f.nodes().get(0)];
                SimNode to = sim.nodes[f.nodes().get(1)];
                if (from.alive) {
                    sim.feed(from, new ManagerEvent.DialRequested(java.util.Objects.requireNonNull(to.address), to.id));
                    sim.feed(from, new ManagerEvent.DialRequested(to.alias(), to.id));
                }
                return;
            }
        }
        sim.at(f.endMillis() * Simulation.MS, Simulation.EV_FAULT_END, -1, 0, 0, f);
    }

    void faultEnd(Fault f) {
        if (f.kind() != Fault.Kind.KILL && f.kind() != Fault.Kind.FLAP && f.kind() != Fault.Kind.DUAL_DIAL) {
            lastDisturbanceEnd = sim.now;
        }
        network.active.remove(f);
        switch (f.kind()) {
            case PARTITION, ONE_WAY -> {
                network.sides.remove(f);
                network.reassessPaths();
            }
            case KILL, FLAP -> {
                SimNode n = sim.nodes[f.nodes().get(0)];
                if (!n.alive) {
                    sim.startNode(n);
                }
            }
            case SLOW -> network.slowExtra[f.nodes().get(0)] = 0;
            case REVOKE -> {
                SimNode n = sim.nodes[f.nodes().get(0)];
                Map<NodeId, Role> next = new HashMap<>(trust);
                next.put(n.id, n.role);
                publishTrust(next);
            }
            default -> {}
        }
    }

    void flap(SimNode n, int step, Fault f) {
        int flaps = Math.max(1, f.amount());
        long slice = Math.max(1, f.durationMillis() / (2L * flaps + 1));
        if (step % 2 == 0) {
            sim.kill(n, true);
        } else {
            sim.startNode(n);
        }
        if (step + 1 < 2 * flaps) {
            sim.at(sim.now + slice * Simulation.MS, Simulation.EV_FLAP, n.index, 0, step + 1, f);
        }
    }

    /** An edited trust file reaches every node 0.5-1 s later (the file watcher's settle time). */
    private void publishTrust(Map<NodeId, Role> next) {
        Map<NodeId, Role> before = trust;
        trust = Map.copyOf(next);
        trustVersion++;
        TrustEdit edit = new TrustEdit(trust, diff(before, trust));
        for (SimNode n : sim.nodes) {
            sim.at(
                    sim.now + 500 * Simulation.MS + sim.random.nextLong(500) * Simulation.MS,
                    Simulation.EV_TRUST,
                    n.index,
                    0,
                    trustVersion,
                    edit);
        }
    }

    /** A trust-file version and what changed from the version before it. */
    record TrustEdit(Map<NodeId, Role> table, List<TrustChange> changes) {}

    private static List<TrustChange> diff(Map<NodeId, Role> before, Map<NodeId, Role> next) {
        List<TrustChange> changes = new ArrayList<>();
        for (Map.Entry<NodeId, Role> e : new TreeMap<>(before).entrySet()) {
            Role after = next.get(e.getKey());
            if (after != e.getValue()) {
                changes.add(new TrustChange(e.getKey(), e.getValue(), after));
            }
        }
        for (Map.Entry<NodeId, Role> e : new TreeMap<>(next).entrySet()) {
            if (!before.containsKey(e.getKey())) {
                changes.add(new TrustChange(e.getKey(), null, e.getValue()));
            }
        }
        return changes;
    }

    void applyTrust(SimNode n, long version, TrustEdit edit) {
        if (!n.alive || version <= n.trustVersionSeen) {
            return;
        }
        Map<NodeId, Role> before = n.trustView;
        List<TrustChange> changes = version == n.trustVersionSeen + 1 ? edit.changes() : diff(before, edit.table());
        n.trustVersionSeen = version;
        n.trustView = edit.table();
        n.trustRegistry.table = edit.table();
        for (TrustChange c : changes) {
            java.util.Objects.requireNonNull(n.admission).onTrustChange(c);
            sim.feed(n, new ManagerEvent.TrustChanged(c));
        }
    }

    List<Fault> activeFaults() {
        return network.active;
    }

    Map<NodeId, Role> trust() {
        return trust;
    }
}
