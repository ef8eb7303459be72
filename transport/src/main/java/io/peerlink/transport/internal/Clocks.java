package io.peerlink.transport.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The two clocks a network reads above its handlers, injected so that none of its collaborators reads the system's
 * directly: a monotonic nanosecond ticker (backoff, cooldowns, budgets, bans, loss timing) and a wall clock (the
 * instants shown to people: when a link was established, when a peer last failed, when the next dial is due).
 * Handlers read their event loop's {@code ticker()} instead, which is the same ticker in a node.
 *
 * <pre>{@code
 * Clocks clocks = Clocks.of(group.next().ticker()::nanoTime, Clock.systemUTC());
 * new AddressBook(base, cooldown, clocks.nanos());
 * }</pre>
 */
record Clocks(LongSupplier nanos, Clock wall) {
    Clocks {
        Objects.requireNonNull(nanos, "nanos");
        Objects.requireNonNull(wall, "wall");
    }

    static Clocks of(LongSupplier nanos, Clock wall) {
        return new Clocks(nanos, wall);
    }

    long nanoTime() {
        return nanos.getAsLong();
    }

    Instant now() {
        return wall.instant();
    }
}
