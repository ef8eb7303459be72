package io.peerlink.protocol.manager;

import static java.util.Objects.requireNonNull;

import io.peerlink.core.NodeId;

/**
 * What a scheduled timer is for; the shell hands it back in {@link ManagerEvent.TimerFired} when the time comes.
 * Timers are never cancelled: one that no longer applies is ignored when it fires.
 */
public sealed interface Timer {

    /** Mesh upkeep: seeds, redials of known validators, peer exchange. */
    record Tick() implements Timer {}

    /** The next attempt of a dial after its backoff. */
    record Retry(long dialId, int attempt) implements Timer {}

    /** A mesh dial gives its slot back even if it goes on retrying. */
    record SlotExpiry(long dialId) implements Timer {}

    /**
     * The peer closed our link as a duplicate, keeping another one whose handshake is finishing here: if no new link
     * registers by then, publish the disconnect.
     */
    record OrphanExpiry(NodeId peer, long generation) implements Timer {
        public OrphanExpiry {
            requireNonNull(peer, "peer");
        }
    }

    /** The single tick instance. */
    Tick TICK = new Tick();
}
