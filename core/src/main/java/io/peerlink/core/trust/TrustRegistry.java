package io.peerlink.core.trust;

import io.peerlink.core.NodeId;
import io.peerlink.core.Role;
import java.util.Map;
import java.util.Optional;

/**
 * Which node ids may connect, with which role. A node id absent from the registry is unknown; one that
 * disappears from it is revoked. Embedders plug in their own implementation; {@link FileTrustRegistry} reads the
 * trust file and {@link InMemoryTrustRegistry} is a mutable table.
 *
 * <p>Look-ups are called from the handshake and must be cheap (a map read); implementations that need I/O keep a
 * snapshot and refresh it off the event loop.
 *
 * <pre>{@code
 * Optional<Role> role = registry.roleOf(peerId);
 * AutoCloseable sub = registry.subscribe(change -> { if (change.revoked()) ... });
 * }</pre>
 */
public interface TrustRegistry {
    /** The role of a trusted node, or empty if the node id is unknown or revoked. */
    Optional<Role> roleOf(NodeId id);

    /** An immutable snapshot of the whole table. */
    Map<NodeId, Role> snapshot();

    /**
     * Registers a listener for changes; it is called on the thread that applied the change and must not block.
     *
     * @return a handle that removes the listener when closed
     */
    AutoCloseable subscribe(TrustListener listener);
}
