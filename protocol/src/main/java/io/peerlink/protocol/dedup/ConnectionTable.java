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
 * decision is one atomic map update, made by {@link #decide}: a link from a newer boot incarnation of the peer (it
 * restarted) replaces the registered link whoever dialed either; otherwise the {@link TieBreak} decides.
 *
 * <pre>{@code
 * ConnectionTable<Channel> table = new ConnectionTable<>(me);
 * Registration<Channel> r = table.register(peer, Direction.INBOUND, incarnation, channel);
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
        /**
         * The candidate comes from a newer boot incarnation of the peer: the peer restarted, and the candidate
         * replaced the existing link (of the previous incarnation, maybe half-dead), which the caller must close.
         */
        RESTARTED,
        /** A link to this peer exists and wins; the caller must close the candidate. */
        DUPLICATE
    }

    /**
     * @param replaced the displaced link when the outcome is {@code REPLACED} or {@code RESTARTED}
     * @param kept the link that stays registered
     */
    public record Registration<H>(
            Outcome outcome, H kept, @Nullable H replaced) {}

    /**
     * A registered link.
     *
     * @param incarnation the boot incarnation the peer signed in this link's handshake (unsigned; 0 = unknown)
     */
    public record Link<H>(NodeId peer, Direction direction, long incarnation, H handle) {
        /** Without an incarnation (0: never newer than anything). */
        public Link(NodeId peer, Direction direction, H handle) {
            this(peer, direction, 0, handle);
        }
    }

    private final NodeId local;
    private final ConcurrentHashMap<NodeId, Link<H>> links = new ConcurrentHashMap<>();

    public ConnectionTable(NodeId local) {
        this.local = Objects.requireNonNull(local, "local");
    }

    /**
     * What becomes of a candidate link to {@code peer} when a link to it is registered already: {@code RESTARTED} if
     * the candidate's incarnation is newer (unsigned comparison), whoever dialed either link; {@code DUPLICATE} if it
     * is older and known (not 0): a handshake of the peer's previous boot that finished late, from bytes in flight
     * when it died (found by the simulator); otherwise the tie-break's {@code REPLACED} or {@code DUPLICATE}. Pure, so
     * both ends' agreement can be tested: only the survivor of a restart ever holds a link of the previous
     * incarnation, and among links of one incarnation both ends apply the same tie-break.
     */
    public static Outcome decide(
            NodeId local,
            NodeId peer,
            Direction existingDirection,
            long existingIncarnation,
            Direction candidateDirection,
            long candidateIncarnation) {
        if (Long.compareUnsigned(candidateIncarnation, existingIncarnation) > 0) {
            return Outcome.RESTARTED;
        }
        if (candidateIncarnation != 0 && Long.compareUnsigned(candidateIncarnation, existingIncarnation) < 0) {
            return Outcome.DUPLICATE; // a late handshake of the previous boot (bytes still in flight when it died)
        }
        return TieBreak.survivor(local, peer, existingDirection, candidateDirection) == TieBreak.Survivor.CANDIDATE
                ? Outcome.REPLACED
                : Outcome.DUPLICATE;
    }

    /**
     * {@link #decide} with the tie-break's preferred direction given ({@link TieBreak#preferredDirection} in
     * production; the pure connection manager passes its {@code Rules}' so that the simulator can plant a wrong one).
     */
    public static Outcome decide(
            Direction preferred,
            Direction existingDirection,
            long existingIncarnation,
            Direction candidateDirection,
            long candidateIncarnation) {
        if (Long.compareUnsigned(candidateIncarnation, existingIncarnation) > 0) {
            return Outcome.RESTARTED;
        }
        if (candidateIncarnation != 0 && Long.compareUnsigned(candidateIncarnation, existingIncarnation) < 0) {
            return Outcome.DUPLICATE;
        }
        return existingDirection == candidateDirection || candidateDirection == preferred
                ? Outcome.REPLACED
                : Outcome.DUPLICATE;
    }

    /** Registers an authenticated link without an incarnation (0, never newer): dedup and the tie-break only. */
    public Registration<H> register(NodeId peer, Direction direction, H handle) {
        return register(peer, direction, 0, handle);
    }

    /**
     * Registers an authenticated link whose handshake carried the peer's boot incarnation {@code incarnation},
     * applying {@link #decide}.
     */
    public Registration<H> register(NodeId peer, Direction direction, long incarnation, H handle) {
        Objects.requireNonNull(handle, "handle");
        Link<H> candidate = new Link<>(peer, direction, incarnation, handle);
        Object[] result = new Object[2];
        links.compute(peer, (id, existing) -> {
            if (existing == null) {
                result[0] = Outcome.ADDED;
                return candidate;
            }
            Outcome o = decide(local, peer, existing.direction(), existing.incarnation(), direction, incarnation);
            result[0] = o;
            result[1] = existing.handle();
            return o == Outcome.DUPLICATE ? existing : candidate;
        });
        Outcome outcome = (Outcome) result[0];
        @SuppressWarnings("unchecked")
        H other = (H) result[1];
        return switch (outcome) {
            case ADDED -> new Registration<>(outcome, handle, null);
            case REPLACED, RESTARTED -> new Registration<>(outcome, handle, other);
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
