package io.peerlink.core.trust;

import io.peerlink.core.NodeId;
import io.peerlink.core.Role;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
        Map<NodeId, Role> next = new HashMap<>(table);
        next.put(Objects.requireNonNull(id, "id"), Objects.requireNonNull(role, "role"));
        replace(next);
    }

    /** Removes an entry; connected peers with that id are disconnected by the nodes that follow this registry. */
    public void revoke(NodeId id) {
        Map<NodeId, Role> next = new HashMap<>(table);
        next.remove(id);
        replace(next);
    }

    /** Replaces the whole table and publishes the differences. */
    public void replace(Map<NodeId, Role> next) {
        List<TrustChange> changes;
        synchronized (this) {
            Map<NodeId, Role> before = table;
            table = Map.copyOf(next);
            changes = TrustDiff.between(before, table);
        }
        listeners.fire(changes);
    }
}
