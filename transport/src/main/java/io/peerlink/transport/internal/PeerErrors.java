package io.peerlink.transport.internal;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The last failure that concerned each peer (a dial that gave up, a refused handshake, a lost or closed link), for
 * {@code explain}. Thread-safe; holds at most {@link #MAX_PEERS} ids, so strangers claiming made-up ids cannot grow
 * it: past that, failures of ids not held already are not recorded.
 */
final class PeerErrors {
    static final int MAX_PEERS = 4096;

    /** One failure: what happened and when. */
    record Failure(String text, Instant at) {}

    private final Map<NodeId, Failure> last = new ConcurrentHashMap<>();
    private final Clocks clocks;

    PeerErrors(Clocks clocks) {
        this.clocks = clocks;
    }

    void record(NodeId id, String what, DisconnectReason reason, String detail) {
        if (last.size() >= MAX_PEERS && !last.containsKey(id)) {
            return;
        }
        last.put(id, new Failure(what + ": " + reason.text() + " (" + detail + ")", clocks.now()));
    }

    @Nullable
    Failure last(NodeId id) {
        return last.get(id);
    }
}
