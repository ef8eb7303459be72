package io.peerlink.node.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerStatus;
import io.peerlink.core.Role;
import io.peerlink.core.trust.TrustRegistry;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Whether the validator mesh is whole, as two gauges read at scrape time: {@code
 * peerlink_mesh_validators_expected} (validators in the trust registry other than this node) and {@code
 * peerlink_mesh_validators_connected} (of those, the ones with an authenticated link now). The mesh is whole when
 * they are equal; the alert is {@code peerlink_mesh_validators_connected < peerlink_mesh_validators_expected}.
 *
 * <pre>{@code
 * MeshMetrics.bind(registry, node.id(), trust, node::peers);
 * }</pre>
 */
public final class MeshMetrics {
    static final String CONNECTED = "peerlink.mesh.validators.connected";
    static final String EXPECTED = "peerlink.mesh.validators.expected";

    private MeshMetrics() {}

    /**
     * Registers both gauges.
     *
     * @param peers the authenticated peers right now (cheap: read on the scrape's event loop)
     */
    public static void bind(
            MeterRegistry registry, NodeId self, TrustRegistry trust, Supplier<? extends List<PeerStatus>> peers) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(peers, "peers");
        Gauge.builder(EXPECTED, () -> expected(self, trust.snapshot()))
                .description("Validators in the trust registry other than this node")
                .register(registry);
        Gauge.builder(CONNECTED, () -> connected(self, trust, peers.get()))
                .description("Trusted validators other than this node with an authenticated link now")
                .register(registry);
    }

    static int expected(NodeId self, Map<NodeId, Role> table) {
        int n = 0;
        for (Map.Entry<NodeId, Role> e : table.entrySet()) {
            if (e.getValue().isValidator() && !e.getKey().equals(self)) {
                n++;
            }
        }
        return n;
    }

    /** Counted against the registry too, so a revoked validator whose link is still closing never counts. */
    static int connected(NodeId self, TrustRegistry trust, List<PeerStatus> peers) {
        int n = 0;
        for (PeerStatus p : peers) {
            NodeId id = p.connection().peer();
            if (p.connection().role().isValidator()
                    && !id.equals(self)
                    && trust.roleOf(id).map(Role::isValidator).orElse(false)) {
                n++;
            }
        }
        return n;
    }
}
