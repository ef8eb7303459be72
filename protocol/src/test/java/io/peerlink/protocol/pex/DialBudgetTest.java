package io.peerlink.protocol.pex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerlink.core.NodeId;
import io.peerlink.core.identity.NodeIdentity;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DialBudgetTest {
    final AtomicLong now = new AtomicLong(123);
    final NodeId a = NodeIdentity.generate().id();
    final NodeId b = NodeIdentity.generate().id();

    @Test
    void perNodeBudgetRefillsOverAMinute() {
        DialBudget budget = new DialBudget(100, 2, now::get);

        assertThat(budget.tryAcquire(a)).isEqualTo(DialBudget.Verdict.ALLOWED);
        assertThat(budget.tryAcquire(a)).isEqualTo(DialBudget.Verdict.ALLOWED);
        assertThat(budget.tryAcquire(a)).isEqualTo(DialBudget.Verdict.NODE_BUDGET);
        assertThat(budget.tryAcquire(b)).as("another node has its own").isEqualTo(DialBudget.Verdict.ALLOWED);

        now.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(budget.tryAcquire(a)).isEqualTo(DialBudget.Verdict.NODE_BUDGET);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(budget.tryAcquire(a)).as("one token per 30 s").isEqualTo(DialBudget.Verdict.ALLOWED);
        assertThat(budget.tryAcquire(a)).isEqualTo(DialBudget.Verdict.NODE_BUDGET);
    }

    @Test
    void globalBudgetCapsAllNodesTogetherAndARefusalTakesNothing() {
        DialBudget budget = new DialBudget(3, 3, now::get);
        int allowed = 0;
        for (int i = 0; i < 20; i++) {
            if (budget.tryAcquire(NodeIdentity.generate().id()) == DialBudget.Verdict.ALLOWED) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(3);
        assertThat(budget.tryAcquire(a)).isEqualTo(DialBudget.Verdict.GLOBAL_BUDGET);

        now.addAndGet(Duration.ofSeconds(20).toNanos());
        // a's node budget was not charged by the global refusal: all three of its tokens are left
        assertThat(budget.tryAcquire(a)).isEqualTo(DialBudget.Verdict.ALLOWED);
        assertThat(budget.tryAcquire(a)).isEqualTo(DialBudget.Verdict.GLOBAL_BUDGET);
        now.addAndGet(Duration.ofHours(5).toNanos());
        for (int i = 0; i < 3; i++) {
            assertThat(budget.tryAcquire(a))
                    .as("refilled, never beyond its size")
                    .isEqualTo(DialBudget.Verdict.ALLOWED);
        }
        assertThat(budget.tryAcquire(a)).isEqualTo(DialBudget.Verdict.NODE_BUDGET);
    }

    @Test
    void checksArguments() {
        assertThatThrownBy(() -> new DialBudget(0, 1, now::get)).hasMessage("perMinute: 0 (expected: >= 1)");
        assertThatThrownBy(() -> new DialBudget(1, 0, now::get)).hasMessage("perNodePerMinute: 0 (expected: >= 1)");
    }
}
