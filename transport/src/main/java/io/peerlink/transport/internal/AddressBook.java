package io.peerlink.transport.internal;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Known validator endpoints (learned from handshakes and peer exchange) and a cooldown per address, so that an
 * unreachable address is tried less and less often instead of in a loop. An address can also be held back once,
 * without counting as a failure ({@link #defer}), while the peer there is expected to dial this node.
 */
public final class AddressBook {
    private static final int MAX_DOUBLINGS = 6;

    private final Map<NodeId, PeerAddress> validators = new ConcurrentHashMap<>();
    private final Map<PeerAddress, long[]> cooldowns = new ConcurrentHashMap<>(); // {failures, notBeforeNanos}
    private final long baseNanos;
    private final LongSupplier nanoTime;

    public AddressBook(Duration base, LongSupplier nanoTime) {
        this.baseNanos = base.toNanos();
        this.nanoTime = nanoTime;
    }

    public void putValidator(NodeId id, PeerAddress address) {
        validators.put(id, address);
    }

    public void remove(NodeId id) {
        validators.remove(id);
    }

    public Map<NodeId, PeerAddress> validators() {
        return Map.copyOf(validators);
    }

    /** Whether the address may be dialed now. */
    public boolean ready(PeerAddress address) {
        long[] c = cooldowns.get(address);
        return c == null || nanoTime.getAsLong() - c[1] >= 0;
    }

    /**
     * Holds {@code address} back for {@code wait} unless it already has a cooldown (a failure or an earlier
     * deferral, expired or not): each address is deferred at most once until a link to it succeeds.
     */
    public void defer(PeerAddress address, Duration wait) {
        long until = nanoTime.getAsLong() + wait.toNanos();
        cooldowns.putIfAbsent(address, new long[] {0, until});
    }

    /** A dial gave up: wait base × 2^(failures-1), capped, before the next one. */
    public void failed(PeerAddress address) {
        cooldowns.compute(address, (a, c) -> {
            long failures = c == null ? 1 : c[0] + 1;
            long wait = baseNanos << Math.min(failures - 1, MAX_DOUBLINGS);
            return new long[] {failures, nanoTime.getAsLong() + wait};
        });
    }

    public void succeeded(PeerAddress address) {
        cooldowns.remove(address);
    }
}
