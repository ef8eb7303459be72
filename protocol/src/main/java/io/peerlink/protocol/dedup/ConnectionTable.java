package io.peerlink.protocol.dedup;

import io.peerlink.core.Direction;
import io.peerlink.core.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The authenticated links of a node, at most one per peer id. Only links that finished the handshake are ever
 * registered, so a new link can never displace an existing one before it has authenticated. Thread-safe: each
 * decision is one atomic map update.
 *
 * <pre>{@code
 * ConnectionTable<Channel> table = new ConnectionTable<>(me);
 * Registration<Channel> r = table.register(peer, Direction.INBOUND, channel);
 * if (r.outcome() == Outcome.DUPLICATE) close(channel);
 * if (r.replaced() != null) closeQuietly(r.replaced());
 * }</pre>
 *
 * @param <H> the link handle (a channel in the transport, anything in tests)
 */
public final class ConnectionTable<H> {

    /** Result of {@link #register}. */
    public enum Outcome {
        /** First link to this peer. */
        ADDED,
        /** The candidate won the tie-break and replaced the existing link, which the caller must close. */
        REPLACED,
        /** A link to this peer exists and wins; the caller must close the candidate. */
        DUPLICATE
    }

    /**
     * @param replaced the displaced link when the outcome is {@code REPLACED}
     * @param kept the link that stays registered
     */
    public record Registration<H>(
            Outcome outcome, H kept, @Nullable H replaced) {}

    /** A registered link. */
    public record Link<H>(NodeId peer, Direction direction, H handle) {}

    private final NodeId local;
    private final ConcurrentHashMap<NodeId, Link<H>> links = new ConcurrentHashMap<>();

    public ConnectionTable(NodeId local) {
        this.local = Objects.requireNonNull(local, "local");
    }

    /** Registers an authenticated link, applying dedup and the tie-break. */
    public Registration<H> register(NodeId peer, Direction direction, H handle) {
        Objects.requireNonNull(handle, "handle");
        Link<H> candidate = new Link<>(peer, direction, handle);
        Object[] result = new Object[2];
        links.compute(peer, (id, existing) -> {
            if (existing == null) {
                result[0] = Outcome.ADDED;
                return candidate;
            }
            if (TieBreak.survivor(local, peer, existing.direction(), direction) == TieBreak.Survivor.CANDIDATE) {
                result[0] = Outcome.REPLACED;
                result[1] = existing.handle();
                return candidate;
            }
            result[0] = Outcome.DUPLICATE;
            result[1] = existing.handle();
            return existing;
        });
        Outcome outcome = (Outcome) result[0];
        @SuppressWarnings("unchecked")
        H other = (H) result[1];
        return switch (outcome) {
            case ADDED -> new Registration<>(outcome, handle, null);
            case REPLACED -> new Registration<>(outcome, handle, other);
            case DUPLICATE -> new Registration<>(outcome, Objects.requireNonNull(other), null);
        };
    }

    /** Removes the link to {@code peer} if {@code handle} is the registered one; false if it was not. */
    public boolean remove(NodeId peer, H handle) {
        boolean[] removed = {false};
        links.computeIfPresent(peer, (id, existing) -> {
            if (existing.handle() == handle) {
                removed[0] = true;
                return null;
            }
            return existing;
        });
        return removed[0];
    }

    public @Nullable Link<H> get(NodeId peer) {
        return links.get(peer);
    }

    public boolean contains(NodeId peer) {
        return links.containsKey(peer);
    }

    public int size() {
        return links.size();
    }

    /** A snapshot of every registered link. */
    public List<Link<H>> links() {
        return new ArrayList<>(links.values());
    }
}
