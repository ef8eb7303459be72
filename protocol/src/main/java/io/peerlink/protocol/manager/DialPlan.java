package io.peerlink.protocol.manager;

import static java.util.Objects.requireNonNull;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;

/**
 * What the manager does with a request to dial: refuse it, answer with the existing link, join the dial under way,
 * or start a new one. Decided by {@link ConnectionManager#plan}; Java 17 has no pattern switch, so dispatch with
 * {@code instanceof}.
 *
 * <pre>{@code
 * DialPlan plan = manager.plan(address, expected);
 * if (plan instanceof DialPlan.Existing e) return connectionOf(e.peer());
 * }</pre>
 */
public sealed interface DialPlan {

    /** Never dialed: this node itself, a role this node does not dial, a banned id. */
    record Refuse(DisconnectReason reason, String detail) implements DialPlan {
        public Refuse {
            requireNonNull(reason, "reason");
            requireNonNull(detail, "detail");
        }
    }

    /** A registered link to the target exists. */
    record Existing(NodeId peer, long linkId) implements DialPlan {
        public Existing {
            requireNonNull(peer, "peer");
        }
    }

    /** A dial to the same key (or the same address) is under way: share it. */
    record Join(long dialId, DialKey key) implements DialPlan {
        public Join {
            requireNonNull(key, "key");
        }
    }

    /** Nothing to share: start a dial under {@code key}. */
    record Start(DialKey key) implements DialPlan {
        public Start {
            requireNonNull(key, "key");
        }
    }
}
