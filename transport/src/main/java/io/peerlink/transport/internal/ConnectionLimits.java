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
 *
 * <p><b>Reserved for validators.</b> Strangers and non-validators can never keep a trusted validator out:
 * <ul>
 *   <li>an accepted connection that {@code max_pending_handshakes} or {@code max_pending_per_ip} would refuse, from
 *       an IP address where a trusted validator is known to be ({@link #noteValidator}: the remote address of a
 *       validator link, a seed, a validator's proven or signed address), may still take one of
 *       {@link #RESERVED_HANDSHAKES} reserved handshake slots ({@link #tryReserve}); it must then authenticate as a
 *       trusted validator, and is closed as soon as it identifies as anything else. The per-IP handshake rate is
 *       not bypassed: it is spent only by that address's own connections;
 *   <li>an established inbound validator link is refused only when validator links alone fill {@code max_inbound},
 *       and never for {@code max_connections_per_ip}; links of other roles are refused once all inbound links
 *       (validators included) fill {@code max_inbound}.
 * </ul>
 */
public final class ConnectionLimits {
    private final Limits limits;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger pendingOutbound = new AtomicInteger();
    private final HandshakeRate rate;
    /** Handshake slots reserved for connections that must prove to be trusted validators. */
    public static final int RESERVED_HANDSHAKES = 16;

    /** Most IP addresses remembered as validators' ({@link #noteValidator}). */
    static final int MAX_VALIDATOR_IPS = 4096;

    private final AtomicInteger reserved = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Boolean> validatorIps = new ConcurrentHashMap<>();
    private final AtomicInteger inbound = new AtomicInteger();
    private final AtomicInteger inboundValidators = new AtomicInteger();
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

    /**
     * Takes one of the handshake slots reserved for validators, for a connection the ordinary pending limits refused;
     * false if they are all taken. Released by {@code endHandshake(true, ip, true)}.
     */
    public boolean tryReserve(@Nullable InetAddress ip) {
        if (ip == null || !validatorIps.containsKey(ip)) {
            return false;
        }
        if (reserved.incrementAndGet() > RESERVED_HANDSHAKES) {
            reserved.decrementAndGet();
            return false;
        }
        return true;
    }

    /** A trusted validator is at {@code ip}: connections from there may use the reserved handshake slots. */
    public void noteValidator(@Nullable InetAddress ip) {
        if (ip != null && (validatorIps.size() < MAX_VALIDATOR_IPS || validatorIps.containsKey(ip))) {
            validatorIps.put(ip, Boolean.TRUE);
        }
    }

    /** As {@link #noteValidator(InetAddress)} for an address's host, if it is an IP literal (never a DNS lookup). */
    public void noteValidatorHost(String host) {
        noteValidator(io.netty.util.NetUtil.createInetAddressFromIpAddressString(host));
    }

    /** Releases the slot of a handshake that ended, either way. */
    public void endHandshake(boolean isInbound, @Nullable InetAddress ip) {
        endHandshake(isInbound, ip, false);
    }

    /** Releases the slot of a handshake that ended, either way; {@code wasReserved} as {@link #tryReserve} gave it. */
    public void endHandshake(boolean isInbound, @Nullable InetAddress ip, boolean wasReserved) {
        if (!isInbound) {
            pendingOutbound.decrementAndGet();
            return;
        }
        if (wasReserved) {
            reserved.decrementAndGet();
            return;
        }
        pending.decrementAndGet();
        if (ip != null) {
            decrement(pendingPerIp, ip);
        }
    }

    /** Reserves an established slot for a link of a non-validator; see {@link #tryEstablish(boolean, InetAddress, boolean)}. */
    public @Nullable String tryEstablish(boolean isInbound, @Nullable InetAddress ip) {
        return tryEstablish(isInbound, ip, false);
    }

    /**
     * Reserves an established slot; returns the name of the limit that refuses it, or null. An inbound validator is
     * counted apart: refused only when validators alone fill {@code max_inbound}, never per IP.
     */
    public @Nullable String tryEstablish(boolean isInbound, @Nullable InetAddress ip, boolean validator) {
        if (isInbound && validator) {
            if (inboundValidators.incrementAndGet() > limits.maxInbound()) {
                inboundValidators.decrementAndGet();
                return "max_inbound";
            }
            inbound.incrementAndGet();
            if (ip != null) {
                increment(establishedPerIp, ip);
            }
            return null;
        }
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
        release(isInbound, ip, false);
    }

    /** Releases an established slot that {@code tryEstablish(isInbound, ip, validator)} gave. */
    public void release(boolean isInbound, @Nullable InetAddress ip, boolean validator) {
        if (isInbound && validator) {
            inboundValidators.decrementAndGet();
        }
        (isInbound ? inbound : outbound).decrementAndGet();
        if (isInbound && ip != null) {
            decrement(establishedPerIp, ip);
        }
    }

    /** Moves an established slot from a replaced link to the link that replaced it; never refuses. */
    public void transfer(
            boolean fromInbound, @Nullable InetAddress fromIp, boolean toInbound, @Nullable InetAddress toIp) {
        transfer(fromInbound, fromIp, toInbound, toIp, false);
    }

    /** As {@link #transfer(boolean, InetAddress, boolean, InetAddress)}, for a peer of the given kind. */
    public void transfer(
            boolean fromInbound,
            @Nullable InetAddress fromIp,
            boolean toInbound,
            @Nullable InetAddress toIp,
            boolean validator) {
        release(fromInbound, fromIp, validator);
        if (toInbound && validator) {
            inboundValidators.incrementAndGet();
        }
        (toInbound ? inbound : outbound).incrementAndGet();
        if (toInbound && toIp != null) {
            increment(establishedPerIp, toIp);
        }
    }

    /** Inbound handshakes in progress. */
    public int pending() {
        return pending.get();
    }

    /** Inbound handshakes in the slots reserved for validators. */
    public int reservedPending() {
        return reserved.get();
    }

    /** Established inbound links, validators included. */
    public int inbound() {
        return inbound.get();
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
