package io.peerlink.core.trust;

import io.peerlink.core.NodeId;
import io.peerlink.core.Role;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One node's entry changed: added ({@code before == null}), revoked ({@code after == null}) or given a new role.
 *
 * <pre>{@code
 * if (change.revoked()) disconnect(change.id());
 * }</pre>
 */
public record TrustChange(
        NodeId id, @Nullable Role before, @Nullable Role after) {
    public TrustChange {
        Objects.requireNonNull(id, "id");
        if (before == null && after == null) {
            throw new IllegalArgumentException("before and after: both null (expected: at least one role)");
        }
    }

    /** The node is no longer trusted. */
    public boolean revoked() {
        return after == null;
    }
}
