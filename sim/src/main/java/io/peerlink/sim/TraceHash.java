package io.peerlink.sim;

import io.peerlink.protocol.manager.ManagerAction;
import io.peerlink.protocol.manager.ManagerEvent;

/**
 * The trace hash of a run: 64-bit FNV-1a over every event fed to a manager (with the virtual time and the node) and
 * every action it returned. Two runs with the same hash made the same decisions at the same times.
 */
final class TraceHash {
    private long value = 0xcbf29ce484222325L;

    long value() {
        return value;
    }

    private void mix(long v) {
        long h = value;
        for (int i = 0; i < 8; i++) {
            h ^= (v >>> (i * 8)) & 0xff;
            h *= 0x100000001b3L;
        }
        value = h;
    }

    void event(long now, int node, ManagerEvent e) {
        mix(now);
        mix(node);
        if (e instanceof ManagerEvent.Connected c) {
            mix(1);
            mix(c.linkId());
            mix(c.dialId());
        } else if (e instanceof ManagerEvent.ConnectFailed c) {
            mix(2);
            mix(c.dialId());
        } else if (e instanceof ManagerEvent.HandshakeAccepted a) {
            mix(3);
            mix(a.linkId());
            mix(a.peer().id().hashCode());
        } else if (e instanceof ManagerEvent.HandshakeRejected r) {
            mix(4);
            mix(r.linkId());
            mix(r.reason().code());
        } else if (e instanceof ManagerEvent.LinkLost l) {
            mix(5);
            mix(l.linkId());
            mix(l.reason().code());
        } else if (e instanceof ManagerEvent.TimerFired t) {
            mix(6);
            mix(t.timer().hashCode());
        } else if (e instanceof ManagerEvent.PexAnswered p) {
            mix(7);
            mix(p.linkId());
            mix(p.records().size());
        } else if (e instanceof ManagerEvent.PexRequested p) {
            mix(8);
            mix(p.linkId());
        } else if (e instanceof ManagerEvent.TrustChanged t) {
            mix(9);
            mix(t.change().id().hashCode());
        } else {
            mix(e.getClass().getSimpleName().hashCode());
        }
    }

    void action(ManagerAction a) {
        if (a instanceof ManagerAction.Dial d) {
            mix(101);
            mix(d.dialId());
            mix(d.address().hashCode());
        } else if (a instanceof ManagerAction.Close c) {
            mix(102);
            mix(c.linkId());
            mix(c.reason().code());
        } else if (a instanceof ManagerAction.Schedule s) {
            mix(103);
            mix(s.atNanos());
        } else if (a instanceof ManagerAction.SendPexAnswer p) {
            mix(104);
            mix(p.linkId());
            mix(p.known().size());
        } else if (a instanceof ManagerAction.SendPexRequest p) {
            mix(105);
            mix(p.linkId());
        } else if (a instanceof ManagerAction.Publish p) {
            mix(106);
            mix(p.event().getClass().getSimpleName().hashCode());
        }
    }
}
