package io.peerlink.protocol.dial;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Shares concurrent attempts per key: while an attempt for a key runs, every caller gets that same attempt; once
 * it terminates (value, error or cancellation) it is forgotten, so the next call starts a fresh one.
 *
 * <p>An attempt is a {@code cache()}d Mono: a subscriber that cancels leaves it running for the others (and for
 * later callers, who join it), so the attempt itself must be bounded, e.g. by a connect timeout and
 * {@link DialRetry}.
 *
 * <pre>{@code
 * InFlight<PeerAddress, Connection> dials = new InFlight<>();
 * Mono<Connection> c = dials.get(address, a -> dialWithRetries(a));   // lazy; concurrent calls share one dial
 * }</pre>
 *
 * @param <K> the key, e.g. a peer address or node id
 * @param <V> the result of an attempt
 */
public final class InFlight<K, V> {
    private final ConcurrentHashMap<K, Mono<V>> attempts = new ConcurrentHashMap<>();

    /**
     * The attempt for {@code key}: the running one if there is one, else a new one made by {@code start}. Lazy: the
     * look-up happens when the result is subscribed, and {@code start}'s Mono is subscribed at most once per
     * attempt however many subscribers share it.
     */
    public Mono<V> get(K key, Function<? super K, ? extends Mono<? extends V>> start) {
        requireNonNull(key, "key");
        requireNonNull(start, "start");
        return Mono.defer(() -> attempts.computeIfAbsent(key, k -> newAttempt(k, start)));
    }

    /** Whether an attempt for {@code key} is running. */
    public boolean contains(K key) {
        return attempts.containsKey(key);
    }

    /** The number of running attempts. */
    public int size() {
        return attempts.size();
    }

    private Mono<V> newAttempt(K key, Function<? super K, ? extends Mono<? extends V>> start) {
        AtomicReference<Mono<V>> self = new AtomicReference<>();
        // forget the attempt before its result reaches subscribers, so a subscriber reacting to it starts afresh
        Runnable forget = () -> attempts.remove(key, self.get());
        Mono<V> attempt = Mono.<V>defer(() -> requireNonNull(start.apply(key), "start returned null"))
                .doOnTerminate(forget)
                .doOnCancel(forget) // cache() does not cancel its source today; stay correct if it ever does
                .cache();
        self.set(attempt);
        return attempt;
    }
}
