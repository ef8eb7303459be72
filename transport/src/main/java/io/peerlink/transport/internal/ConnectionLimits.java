package io.peerlink.transport.internal;

import io.peerlink.core.config.Limits;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Counts unauthenticated and established connections, in total and per remote IP, and says which limit a new one
 * would break. Thread-safe; every acquire is paired with exactly one release.
 */
public final class ConnectionLimits {
    private final Limits limits;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger inbound = new AtomicInteger();
    private final AtomicInteger outbound = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> pendingPerIp = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> establishedPerIp = new ConcurrentHashMap<>();

    public ConnectionLimits(Limits limits) {
        this.limits = limits;
    }

    /** Reserves a pending-handshake slot; returns the name of the limit that refuses it, or null. */
    public @Nullable String tryBeginHandshake(@Nullable InetAddress ip) {
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

    public void endHandshake(@Nullable InetAddress ip) {
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
    public void transfer(boolean fromInbound, @Nullable InetAddress fromIp, boolean toInbound,
            @Nullable InetAddress toIp) {
        release(fromInbound, fromIp);
        (toInbound ? inbound : outbound).incrementAndGet();
        if (toInbound && toIp != null) {
            increment(establishedPerIp, toIp);
        }
    }

    public int pending() {
        return pending.get();
    }

    private static int increment(ConcurrentHashMap<InetAddress, AtomicInteger> map, InetAddress ip) {
        return map.computeIfAbsent(ip, k -> new AtomicInteger()).incrementAndGet();
    }

    private static void decrement(ConcurrentHashMap<InetAddress, AtomicInteger> map, InetAddress ip) {
        map.computeIfPresent(ip, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
    }
}
