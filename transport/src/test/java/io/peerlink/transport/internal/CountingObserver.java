package io.peerlink.transport.internal;

import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.transport.TransportObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the limits that refused connections, the handshakes that failed, by reason, and the frames read. */
final class CountingObserver implements TransportObserver {
    private final Map<String, AtomicInteger> limits = new ConcurrentHashMap<>();
    private final Map<DisconnectReason, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final AtomicInteger messagesRead = new AtomicInteger();

    @Override
    public void messageRead(String kind) {
        messagesRead.incrementAndGet();
    }

    /** Frames of any kind (Identify included) the node has decoded. */
    int messagesRead() {
        return messagesRead.get();
    }

    @Override
    public void limitReached(String limit) {
        limits.computeIfAbsent(limit, k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void handshakeFailed(Direction direction, DisconnectReason reason, boolean byPeer) {
        failures.computeIfAbsent(reason, k -> new AtomicInteger()).incrementAndGet();
    }

    int refusals(String limit) {
        AtomicInteger n = limits.get(limit);
        return n == null ? 0 : n.get();
    }

    int handshakesFailed() {
        return failures.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    int refusals() {
        return limits.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    int handshakesFailed(DisconnectReason reason) {
        AtomicInteger n = failures.get(reason);
        return n == null ? 0 : n.get();
    }
}
