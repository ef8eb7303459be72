package io.peerlink.protocol.handshake;

import static java.util.Objects.requireNonNull;

import io.peerlink.core.NodeId;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Node ids refused for a while after misbehaving (peer-exchange abuse): {@link Admission} refuses a banned id at
 * the handshake with {@code BANNED} until its ban expires. Thread-safe.
 *
 * <pre>{@code
 * BanList bans = new BanList(Duration.ofMinutes(10), System::nanoTime);
 * bans.ban(peer);
 * }</pre>
 */
public final class BanList {
    /** Longer than any node runs, short enough that {@code now + FOREVER} never overflows. */
    static final Duration FOREVER = Duration.ofDays(365L * 100);

    /** Bans kept before expired ones are swept (each ban is one trusted id, so this is rarely reached). */
    private static final int SWEEP_AT = 1024;

    private final long durationNanos;
    private final LongSupplier nanoTime;
    private final Map<NodeId, Long> until = new ConcurrentHashMap<>();

    public BanList(Duration duration, LongSupplier nanoTime) {
        requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration: " + duration + " (expected: > 0)");
        }
        this.durationNanos = duration.toNanos();
        this.nanoTime = requireNonNull(nanoTime, "nanoTime");
    }

    /** Bans {@code id} from now for the configured duration (a ban in force is extended). */
    public void ban(NodeId id) {
        ban(id, durationNanos);
    }

    /** Bans {@code id} from now for {@code duration} (replacing a ban in force); see {@link #banForever}. */
    public void ban(NodeId id, Duration duration) {
        requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration: " + duration + " (expected: > 0)");
        }
        ban(id, duration.compareTo(FOREVER) >= 0 ? FOREVER.toNanos() : duration.toNanos());
    }

    /** Bans {@code id} until {@link #unban} (the operator's ban list). */
    public void banForever(NodeId id) {
        ban(id, FOREVER.toNanos());
    }

    /** Lifts a ban; true if {@code id} was banned. */
    public boolean unban(NodeId id) {
        requireNonNull(id, "id");
        Long t = until.remove(id);
        return t != null && t - nanoTime.getAsLong() > 0;
    }

    private void ban(NodeId id, long nanos) {
        requireNonNull(id, "id");
        long now = nanoTime.getAsLong();
        if (until.size() >= SWEEP_AT) {
            until.values().removeIf(t -> t - now <= 0);
        }
        until.put(id, now + nanos);
    }

    /** Whether {@code id} is banned now. */
    public boolean banned(NodeId id) {
        Long t = until.get(id);
        if (t == null) {
            return false;
        }
        if (t - nanoTime.getAsLong() <= 0) {
            until.remove(id, t);
            return false;
        }
        return true;
    }

    /** What is left of {@code id}'s ban (zero if none). */
    public Duration remaining(NodeId id) {
        Long t = until.get(id);
        long left = t == null ? 0 : t - nanoTime.getAsLong();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }
}
