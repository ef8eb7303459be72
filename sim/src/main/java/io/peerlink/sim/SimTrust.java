package io.peerlink.sim;

import io.peerlink.core.NodeId;
import io.peerlink.core.Role;
import java.util.Map;

/** A node's view of the trust file. */
final class SimTrust implements io.peerlink.core.trust.TrustRegistry {
    Map<NodeId, Role> table = Map.of();

    @Override
    public java.util.Optional<Role> roleOf(NodeId id) {
        return java.util.Optional.ofNullable(table.get(id));
    }

    @Override
    public Map<NodeId, Role> snapshot() {
        return table;
    }

    @Override
    public AutoCloseable subscribe(io.peerlink.core.trust.TrustListener listener) {
        return () -> {};
    }
}
