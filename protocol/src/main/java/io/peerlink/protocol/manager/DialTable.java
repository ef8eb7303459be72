package io.peerlink.protocol.manager;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The dials under way, by id, by {@link DialKey} and by address, and the mesh-dial slots they hold. Freeing a slot
 * calls back (the mesh refills).
 */
final class DialTable {
    private final TreeMap<Long, DialEntry> dials = new TreeMap<>();
    private final Map<DialKey, DialEntry> byKey = new HashMap<>();
    private final Map<PeerAddress, DialEntry> byAddress = new HashMap<>();
    /** Targets the {@link Rules} gave up on for good (never, with the standard rules). */
    private final Map<DialKey, Boolean> abandoned = new HashMap<>();

    private final Runnable slotFreed;
    private long nextDialId = 1;
    private int meshDials;

    DialTable(Runnable slotFreed) {
        this.slotFreed = slotFreed;
    }

    DialEntry open(DialKey key, PeerAddress address, @Nullable NodeId expected, boolean once) {
        DialEntry d = new DialEntry(nextDialId++, key, address, expected, once);
        dials.put(d.id, d);
        byKey.put(key, d);
        byAddress.put(address, d);
        return d;
    }

    void takeSlot(DialEntry d) {
        d.holdsSlot = true;
        meshDials++;
    }

    @Nullable
    DialEntry get(long id) {
        return dials.get(id);
    }

    /** Whether {@code d} is still under way (not ended, not replaced). */
    boolean current(DialEntry d) {
        return dials.get(d.id) == d;
    }

    @Nullable
    DialEntry byKey(DialKey key) {
        return byKey.get(key);
    }

    @Nullable
    DialEntry byAddress(PeerAddress address) {
        return byAddress.get(address);
    }

    boolean dialing(DialKey key) {
        return byKey.containsKey(key);
    }

    boolean dialing(PeerAddress address) {
        return byAddress.containsKey(address);
    }

    void end(DialEntry dial) {
        if (dials.remove(dial.id) == null) {
            return;
        }
        byKey.remove(dial.key, dial);
        byAddress.remove(dial.address, dial);
        releaseSlot(dial);
    }

    void releaseSlot(DialEntry dial) {
        if (dial.holdsSlot) {
            dial.holdsSlot = false;
            meshDials--;
            slotFreed.run();
        }
    }

    void abandon(DialKey key) {
        abandoned.put(key, Boolean.TRUE);
    }

    boolean abandoned(DialKey key) {
        return abandoned.containsKey(key);
    }

    int size() {
        return dials.size();
    }

    int meshDials() {
        return meshDials;
    }
}
