package io.peerlink.core.trust;

import io.peerlink.core.NodeId;
import io.peerlink.core.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Computes the changes between two trust tables. */
final class TrustDiff {
    private TrustDiff() {}

    static List<TrustChange> between(Map<NodeId, Role> before, Map<NodeId, Role> after) {
        List<TrustChange> changes = new ArrayList<>();
        before.forEach((id, role) -> {
            Role now = after.get(id);
            if (now != role) {
                changes.add(new TrustChange(id, role, now));
            }
        });
        after.forEach((id, role) -> {
            if (!before.containsKey(id)) {
                changes.add(new TrustChange(id, null, role));
            }
        });
        return changes;
    }
}
