package io.peerlink.transport.internal;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per remote IP on new inbound connections: {@code perSecond} tokens a second, at most {@code burst}
 * saved up. A connection without a token is closed at accept, before any TLS or handshake work. Thread-safe; the
 * table forgets an IP once its bucket has refilled, so it stays as small as the set of recent senders, and it never
 * holds more than {@code maxTracked} addresses: beyond that (a flood from that many addresses at once) a new address
 * is let through unmetered rather than refused, and the pending-handshake caps bound what it can cost.
 *
 * <pre>{@code
 * HandshakeRate rate = new HandshakeRate(50, 100);
 * if (!rate.tryAcquire(ip, System.nanoTime())) { ch.close(); }
 * }</pre>
 */
final class HandshakeRate {
    /** Sweep the table for idle buckets whenever it has grown by this many entries since the last sweep. */
    private static final int SWEEP_EVERY = 1024;

    private final double tokensPerNano;
    private final int burst;
    private final long refillNanos;
    private final int maxTracked;
    private final ConcurrentHashMap<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile int sweepAt = SWEEP_EVERY;
    private volatile long sweptNanos;

    HandshakeRate(int perSecond, int burst) {
        this(perSecond, burst, 65_536);
    }

    HandshakeRate(int perSecond, int burst, int maxTracked) {
        if (maxTracked < 1) {
            throw new IllegalArgumentException("maxTracked: " + maxTracked + " (expected: >= 1)");
        }
        this.maxTracked = maxTracked;
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond: " + perSecond + " (expected: >= 1)");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst: " + burst + " (expected: >= 1)");
        }
        this.tokensPerNano = perSecond / 1e9;
        this.burst = burst;
        this.refillNanos = (long) Math.ceil(burst / tokensPerNano);
    }

    /** Takes a token for a new connection from {@code ip}; false if its bucket is empty. */
    boolean tryAcquire(InetAddress ip, long nowNanos) {
        Bucket b = buckets.get(ip);
        if (b == null) {
            int size = buckets.size();
            // grown by SWEEP_EVERY since the last sweep, or full and a whole refill period since the last sweep
            if (size >= sweepAt || size >= maxTracked && nowNanos - sweptNanos >= refillNanos) {
                sweep(nowNanos);
            }
            if (buckets.size() >= maxTracked) {
                return true;
            }
            b = buckets.computeIfAbsent(ip, k -> new Bucket(burst, nowNanos));
        }
        boolean ok;
        synchronized (b) {
            double tokens = Math.min(burst, b.tokens + (nowNanos - b.updatedNanos) * tokensPerNano);
            b.updatedNanos = nowNanos;
            ok = tokens >= 1;
            b.tokens = ok ? tokens - 1 : tokens;
        }
        return ok;
    }

    /** Remote IPs with a bucket right now. */
    int tracked() {
        return buckets.size();
    }

    /** Drops buckets that have refilled completely: a new one would start full, so nothing is lost. */
    synchronized void sweep(long nowNanos) {
        buckets.values().removeIf(b -> {
            synchronized (b) {
                return nowNanos - b.updatedNanos >= refillNanos;
            }
        });
        sweepAt = buckets.size() + SWEEP_EVERY;
        sweptNanos = nowNanos;
    }

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long updatedNanos) {
            this.tokens = tokens;
            this.updatedNanos = updatedNanos;
        }
    }
}
