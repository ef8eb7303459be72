package io.peerlink.node.admin;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerExplanation;
import io.peerlink.core.PeerStatus;
import io.peerlink.core.Role;
import io.peerlink.node.Node;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the admin endpoint reports about a node; implemented over a {@link Node} by {@link #of(Node)}, or by a
 * test double. Every method must be cheap and non-blocking: it is called on an event loop.
 *
 * <pre>{@code
 * AdminServer admin = AdminServer.start(PeerAddress.parse("127.0.0.1:9100"), AdminSource.of(node), registry, null)
 *         .block();
 * }</pre>
 */
public interface AdminSource {
    NodeId id();

    Role role();

    /** The authenticated peers right now. */
    List<PeerStatus> peers();

    /** Whether the node accepts connections (or, for a node without a listen address, has started). */
    boolean listening();

    /** Whether the node was given seeds; such a node is healthy only with at least one peer. */
    boolean hasSeeds();

    /** The TLS implementation securing links: "boringssl", "jdk", or "none" for plaintext. */
    default String tlsProvider() {
        return "unknown";
    }

    /**
     * Why {@code peer} is or is not connected ({@link Node#explain}); empty if the node knows nothing of it. Cheap
     * and non-blocking.
     */
    default Optional<PeerExplanation> explain(NodeId peer) {
        return Optional.empty();
    }

    /** A source reading a node; {@code listening} is true once its listener is bound. */
    static AdminSource of(Node node) {
        Objects.requireNonNull(node, "node");
        return new AdminSource() {
            @Override
            public NodeId id() {
                return node.id();
            }

            @Override
            public Role role() {
                return node.role();
            }

            @Override
            public List<PeerStatus> peers() {
                return node.peers();
            }

            @Override
            public boolean listening() {
                return node.config().listen() == null || node.listenAddress() != null;
            }

            @Override
            public boolean hasSeeds() {
                return node.hasSeeds();
            }

            @Override
            public String tlsProvider() {
                return node.tlsProvider();
            }

            @Override
            public Optional<PeerExplanation> explain(NodeId peer) {
                return node.explain(peer);
            }
        };
    }
}
