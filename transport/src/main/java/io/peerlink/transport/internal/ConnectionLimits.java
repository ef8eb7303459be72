package io.peerlink.transport.internal;

import io.peerlink.core.config.Limits;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Counts unauthenticated and established connections, in total and per remote IP, meters new inbound connections
 * per remote IP, and says which limit a new one would break. Pending handshakes have two budgets: inbound ones
 * (strangers may fill it) and this node's own dials (they never wait for strangers). Thread-safe; every acquire is
 * paired with exactly one release.
 */
public final class ConnectionLimits {
    private final Limits limits;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger pendingOutbound = new AtomicInteger();
    private final HandshakeRate rate;
    private final AtomicInteger inbound = new AtomicInteger();
    private final AtomicInteger outbound = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> pendingPerIp = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> establishedPerIp = new ConcurrentHashMap<>();

    public ConnectionLimits(Limits limits) {
        this.limits = limits;
        this.rate = new HandshakeRate(limits.handshakesPerSecondPerIp(), limits.handshakeBurstPerIp());
    }

    /** Reserves a slot for one of this node's dials; returns the name of the limit that refuses it, or null. */
    public @Nullable String tryBeginOutbound() {
        if (pendingOutbound.incrementAndGet() > limits.maxPendingOutbound()) {
            pendingOutbound.decrementAndGet();
            return "max_pending_outbound";
        }
        return null;
    }

    /**
     * Meters and reserves a slot for an accepted connection; returns the name of the limit that refuses it, or null.
     * Called before any TLS or handshake work is set up for the connection.
     */
    public @Nullable String tryBeginInbound(@Nullable InetAddress ip, long nowNanos) {
        if (ip != null && !rate.tryAcquire(ip, nowNanos)) {
            return "handshake_rate_per_ip";
        }
        if (pending.incrementAndGet() > limits.maxPendingHandshakes()) {
            pending.decrementAndGet();
            return "max_pending_handshakes";
        }
        if (ip != null && increment(pendingPerIp, ip) > limits.maxPendingPerIp()) {
            decrement(pendingPerIp, ip);
            pending.decrementAndGet();
            return "max_pending_per_ip";
        }
        return null;
    }

    /** Releases the slot of a handshake that ended, either way. */
    public void endHandshake(boolean isInbound, @Nullable InetAddress ip) {
        if (!isInbound) {
            pendingOutbound.decrementAndGet();
            return;
        }
        pending.decrementAndGet();
        if (ip != null) {
            decrement(pendingPerIp, ip);
        }
    }

    /** Reserves an established slot; returns the name of the limit that refuses it, or null. */
    public @Nullable String tryEstablish(boolean isInbound, @Nullable InetAddress ip) {
        AtomicInteger counter = isInbound ? inbound : outbound;
        int max = isInbound ? limits.maxInbound() : limits.maxOutbound();
        if (counter.incrementAndGet() > max) {
            counter.decrementAndGet();
            return isInbound ? "max_inbound" : "max_outbound";
        }
        if (isInbound && ip != null && increment(establishedPerIp, ip) > limits.maxConnectionsPerIp()) {
            decrement(establishedPerIp, ip);
            counter.decrementAndGet();
            return "max_connections_per_ip";
        }
        return null;
    }

    public void release(boolean isInbound, @Nullable InetAddress ip) {
        (isInbound ? inbound : outbound).decrementAndGet();
        if (isInbound && ip != null) {
            decrement(establishedPerIp, ip);
        }
    }

    /** Moves an established slot from a replaced link to the link that replaced it; never refuses. */
    public void transfer(
            boolean fromInbound, @Nullable InetAddress fromIp, boolean toInbound, @Nullable InetAddress toIp) {
        release(fromInbound, fromIp);
        (toInbound ? inbound : outbound).incrementAndGet();
        if (toInbound && toIp != null) {
            increment(establishedPerIp, toIp);
        }
    }

    /** Inbound handshakes in progress. */
    public int pending() {
        return pending.get();
    }

    /** This node's dials in the handshake. */
    public int pendingOutbound() {
        return pendingOutbound.get();
    }

    private static int increment(ConcurrentHashMap<InetAddress, AtomicInteger> map, InetAddress ip) {
        return map.computeIfAbsent(ip, k -> new AtomicInteger()).incrementAndGet();
    }

    private static void decrement(ConcurrentHashMap<InetAddress, AtomicInteger> map, InetAddress ip) {
        map.computeIfPresent(ip, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
    }
}
