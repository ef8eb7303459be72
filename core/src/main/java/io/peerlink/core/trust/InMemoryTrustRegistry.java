package io.peerlink.core.trust;

import io.peerlink.core.NodeId;
import io.peerlink.core.Role;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A mutable in-memory registry for embedders and tests.
 *
 * <pre>{@code
 * InMemoryTrustRegistry trust = new InMemoryTrustRegistry(Map.of(a.id(), Role.VALIDATOR));
 * trust.put(b.id(), Role.OBSERVER);
 * trust.revoke(a.id());
 * }</pre>
 */
public final class InMemoryTrustRegistry implements TrustRegistry {
    private final ListenerSet listeners = new ListenerSet();
    private volatile Map<NodeId, Role> table;

    public InMemoryTrustRegistry(Map<NodeId, Role> initial) {
        this.table = Map.copyOf(initial);
    }

    @Override
    public Optional<Role> roleOf(NodeId id) {
        return Optional.ofNullable(table.get(id));
    }

    @Override
    public Map<NodeId, Role> snapshot() {
        return table;
    }

    @Override
    public AutoCloseable subscribe(TrustListener listener) {
        return listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Adds or changes an entry. */
    public void put(NodeId id, Role role) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        update(current -> {
            Map<NodeId, Role> next = new HashMap<>(current);
            next.put(id, role);
            return next;
        });
    }

    /** Removes an entry; connected peers with that id are disconnected by the nodes that follow this registry. */
    public void revoke(NodeId id) {
        Objects.requireNonNull(id, "id");
        update(current -> {
            Map<NodeId, Role> next = new HashMap<>(current);
            next.remove(id);
            return next;
        });
    }

    /** Replaces the whole table and publishes the differences. */
    public void replace(Map<NodeId, Role> next) {
        Map<NodeId, Role> copy = Map.copyOf(next);
        update(current -> copy);
    }

    /**
     * Applies one change atomically. Read-modify-write under the lock, so concurrent puts are never lost; changes
     * are published under the lock too, so listeners see them in the order they were applied (a revoke followed
     * by a re-add is never seen the other way round).
     */
    private synchronized void update(UnaryOperator<Map<NodeId, Role>> change) {
        Map<NodeId, Role> before = table;
        table = Map.copyOf(change.apply(before));
        List<TrustChange> changes = TrustDiff.between(before, table);
        listeners.fire(changes);
    }
}
