package io.peerlink.protocol.pex;

import static java.util.Objects.requireNonNull;

import io.peerlink.core.NodeId;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How many learned addresses that never held a link this node may dial: token buckets per minute, one per target
 * node and one for all of them. An honest validator has one address, so a few dials per node suffice; an insider
 * that rotates addresses for many validators gets no more than the global budget out of this node. Thread-safe.
 *
 * <pre>{@code
 * DialBudget budget = new DialBudget(120, 3, System::nanoTime);
 * if (budget.tryAcquire(target) == DialBudget.Verdict.ALLOWED) dial(address);
 * }</pre>
 */
public final class DialBudget {
    /** Per-node buckets kept before full (idle) ones are dropped. */
    private static final int PRUNE_AT = 1024;

    /** The answer to a request for one dial. */
    public enum Verdict {
        ALLOWED,
        /** The target node's budget is spent. */
        NODE_BUDGET,
        /** The budget over all nodes is spent. */
        GLOBAL_BUDGET;

        /** Lower-case text for metrics tags: {@code node}, {@code global}. */
        public String scope() {
            return this == NODE_BUDGET ? "node" : this == GLOBAL_BUDGET ? "global" : "none";
        }
    }

    private final int perNodePerMinute;
    private final LongSupplier nanoTime;
    private final TokenBucket global;
    private final Map<NodeId, TokenBucket> perNode = new HashMap<>();

    public DialBudget(int perMinute, int perNodePerMinute, LongSupplier nanoTime) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute: " + perMinute + " (expected: >= 1)");
        }
        if (perNodePerMinute < 1) {
            throw new IllegalArgumentException("perNodePerMinute: " + perNodePerMinute + " (expected: >= 1)");
        }
        this.perNodePerMinute = perNodePerMinute;
        this.nanoTime = requireNonNull(nanoTime, "nanoTime");
        this.global = new TokenBucket(perMinute, nanoTime.getAsLong());
    }

    /** Takes one dial from both the node's and the global budget, or neither. */
    public synchronized Verdict tryAcquire(NodeId target) {
        requireNonNull(target, "target");
        long now = nanoTime.getAsLong();
        TokenBucket node = perNode.get(target);
        if (node == null) {
            if (perNode.size() >= PRUNE_AT) {
                perNode.values().removeIf(b -> b.full(now));
            }
            node = new TokenBucket(perNodePerMinute, now);
            perNode.put(target, node);
        }
        if (!node.available(now)) {
            return Verdict.NODE_BUDGET;
        }
        if (!global.tryTake(now)) {
            return Verdict.GLOBAL_BUDGET;
        }
        node.tryTake(now);
        return Verdict.ALLOWED;
    }
}
