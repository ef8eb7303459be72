package io.peerlink.sim;

import io.peerlink.core.DisconnectReason;
import io.peerlink.protocol.manager.ManagerEvent;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The simulated network: per-pair latency, FIFO per direction, loss as a retransmission delay, partitions and
 * one-way partitions that drop packets, a FIN when an end closes, and heartbeats as a timed check that closes an end
 * whose peer has been silent for the detection bound. The {@link FaultInjector} sets its conditions.
 */
final class Network {
    private final Simulation sim;
    private final long latencySalt;
    /** The faults in force, in the order they started. */
    final List<Fault> active = new ArrayList<>();
    /** The cut-off side of each partition in force. */
    final Map<Fault, BitSet> sides = new HashMap<>();
    /** Extra one-way latency per node (the SLOW fault). */
    final long[] slowExtra;

    Network(Simulation sim, long latencySalt, int nodes) {
        this.sim = sim;
        this.latencySalt = latencySalt;
        this.slowExtra = new long[nodes];
    }

    long latency(int a, int b) {
        int lo = Math.min(a, b);
        int hi = Math.max(a, b);
        long h = (lo * 0x9E3779B97F4A7C15L) ^ (hi * 0xC2B2AE3D27D4EB4FL) ^ latencySalt;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        int span = sim.options.maxLatencyMillis() - sim.options.minLatencyMillis() + 1;
        long ms = sim.options.minLatencyMillis() + Math.floorMod(h, span);
        return ms * Simulation.MS + slowExtra[a] + slowExtra[b];
    }

    boolean blocked(int from, int to) {
        for (int i = 0; i < active.size(); i++) {
            Fault f = active.get(i);
            BitSet side = sides.get(f);
            if (side == null) {
                continue;
            }
            if (f.kind() == Fault.Kind.PARTITION && side.get(from) != side.get(to)) {
                return true;
            }
            if (f.kind() == Fault.Kind.ONE_WAY && side.get(from) && !side.get(to)) {
                return true;
            }
        }
        return false;
    }

    private int lossPerMille() {
        int loss = 0;
        for (Fault f : active) {
            if (f.kind() == Fault.Kind.LOSS) {
                loss = Math.max(loss, f.amount());
            }
        }
        return loss;
    }

    void send(Sock s, int fromEnd, int type, @Nullable Object body) {
        if (!s.open[fromEnd] && type != Simulation.MSG_FIN) {
            return;
        }
        int from = s.node(fromEnd).index;
        int to = s.node(1 - fromEnd).index;
        if (blocked(from, to) || s.silent[fromEnd]) {
            return; // dropped; heartbeats (or the handshake deadline) tell the other end
        }
        long delay = latency(from, to);
        int loss = lossPerMille();
        if (loss > 0 && sim.random.nextInt(1000) < loss) {
            delay += 200 * Simulation.MS * (1 + sim.random.nextInt(3)); // retransmitted after a timeout
        }
        long t = Math.max(sim.now + delay, s.lastDelivery[fromEnd]);
        s.lastDelivery[fromEnd] = t;
        sim.at(t, Simulation.EV_MSG, -1, 0, 0, new Msg(s, 1 - fromEnd, type, body));
    }

    record Msg(Sock sock, int toEnd, int type, @Nullable Object body) {}

    /** Closes one end: a FIN goes to the other end (if the path lets it through), and this end falls silent. */
    void closeEnd(Sock s, int end, boolean fin) {
        if (!s.open[end]) {
            return;
        }
        if (fin) {
            send(s, end, Simulation.MSG_FIN, null);
        }
        s.open[end] = false;
        s.closedAt[end] = sim.now;
        s.node(end).sockets.remove(s.id);
        s.silent[end] = true;
        if (s.blockedSince[end] < 0) {
            s.blockedSince[end] = sim.now;
            scheduleHeartbeat(s, 1 - end);
        }
    }

    private void scheduleHeartbeat(Sock s, int detectingEnd) {
        if (!s.open[detectingEnd]) {
            return;
        }
        long bound = sim.config.heartbeat().detectionBound().toNanos();
        long interval = sim.config.heartbeat().interval().toNanos();
        long t = sim.now + bound - sim.random.nextLong(interval);
        sim.at(t, Simulation.EV_HB_CHECK, -1, 0, detectingEnd, s);
    }

    void heartbeatCheck(Sock s, int end) {
        int dir = 1 - end; // packets from the other end
        if (!s.open[end] || s.blockedSince[dir] < 0) {
            return;
        }
        long bound = sim.config.heartbeat().detectionBound().toNanos();
        if (sim.now - s.blockedSince[dir]
                < bound - sim.config.heartbeat().interval().toNanos()) {
            return; // blocked again since, a newer check is due
        }
        SimNode n = s.node(end);
        boolean auth = s.auth[end];
        closeEnd(s, end, true);
        if (auth) {
            sim.feed(
                    n, new ManagerEvent.LinkLost(s.id, DisconnectReason.HEARTBEAT_TIMEOUT, "heartbeats missed", false));
        } else {
            sim.feed(n, new ManagerEvent.LinkLost(s.id, DisconnectReason.CONNECTION_CLOSED, "silent peer", false));
        }
    }

    /** After a partition changes: which directions of which open sockets are sim.now cut (heartbeats start missing). */
    void reassessPaths() {
        for (SimNode n : sim.nodes) {
            for (Sock s : n.sockets.values()) {
                if (s.node(0) != n) {
                    continue;
                }
                for (int dir = 0; dir < 2; dir++) {
                    boolean cut = blocked(s.node(dir).index, s.node(1 - dir).index);
                    if (cut && s.blockedSince[dir] < 0) {
                        s.blockedSince[dir] = sim.now;
                        scheduleHeartbeat(s, 1 - dir);
                    } else if (!cut && s.blockedSince[dir] >= 0 && !s.silent[dir]) {
                        s.blockedSince[dir] = -1;
                    }
                }
            }
        }
    }
}
