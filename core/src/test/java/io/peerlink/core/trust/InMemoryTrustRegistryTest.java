package io.peerlink.core.trust;

import static io.peerlink.core.trust.TrustFileTest.A;
import static io.peerlink.core.trust.TrustFileTest.B;
import static io.peerlink.core.trust.TrustFileTest.C;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.peerlink.core.NodeId;
import io.peerlink.core.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class InMemoryTrustRegistryTest {

    final InMemoryTrustRegistry registry = new InMemoryTrustRegistry(Map.of(A, Role.VALIDATOR));
    final List<TrustChange> events = new ArrayList<>();

    @Test
    void putAddsAndChangesRoles() {
        registry.subscribe(events::add);

        registry.put(B, Role.OBSERVER);
        registry.put(B, Role.GATEWAY);
        registry.put(B, Role.GATEWAY); // no change, no event

        assertThat(registry.roleOf(B)).contains(Role.GATEWAY);
        assertThat(events)
                .containsExactly(
                        new TrustChange(B, null, Role.OBSERVER), new TrustChange(B, Role.OBSERVER, Role.GATEWAY));
    }

    @Test
    void revokePublishesARevocation() {
        registry.subscribe(events::add);

        registry.revoke(A);
        registry.revoke(C); // unknown: nothing to publish

        assertThat(registry.roleOf(A)).isEmpty();
        assertThat(events).containsExactly(new TrustChange(A, Role.VALIDATOR, null));
        assertThat(events.get(0).revoked()).isTrue();
    }

    @Test
    void replacePublishesEveryDifference() {
        registry.subscribe(events::add);

        registry.replace(Map.of(B, Role.VALIDATOR, C, Role.OBSERVER));

        assertThat(events)
                .containsExactlyInAnyOrder(
                        new TrustChange(A, Role.VALIDATOR, null),
                        new TrustChange(B, null, Role.VALIDATOR),
                        new TrustChange(C, null, Role.OBSERVER));
    }

    @Test
    void snapshotIsImmutableAndDetached() {
        Map<NodeId, Role> initial = new HashMap<>(Map.of(A, Role.VALIDATOR));
        InMemoryTrustRegistry r = new InMemoryTrustRegistry(initial);
        initial.put(B, Role.VALIDATOR);
        Map<NodeId, Role> snapshot = r.snapshot();

        r.put(C, Role.GATEWAY);

        assertThat(snapshot).containsOnlyKeys(A);
        assertThat(r.snapshot()).containsOnlyKeys(A, C);
        assertThatThrownBy(() -> snapshot.put(B, Role.VALIDATOR)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void failingListenerDoesNotStopTheOthers() {
        Logger log = (Logger) LoggerFactory.getLogger(ListenerSet.class);
        Level level = log.getLevel();
        log.setLevel(Level.OFF); // the failure is logged at ERROR by design; keep the test output clean
        try {
            registry.subscribe(change -> {
                throw new IllegalStateException("boom");
            });
            registry.subscribe(events::add);

            registry.put(B, Role.VALIDATOR);

            assertThat(events).containsExactly(new TrustChange(B, null, Role.VALIDATOR));
        } finally {
            log.setLevel(level);
        }
    }

    @Test
    void argumentsAreChecked() {
        assertThatThrownBy(() -> registry.put(null, Role.VALIDATOR)).hasMessage("id");
        assertThatThrownBy(() -> registry.put(B, null)).hasMessage("role");
        assertThatThrownBy(() -> registry.subscribe(null)).hasMessage("listener");
        assertThatThrownBy(() -> new TrustChange(A, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(expected: at least one role)");
    }

    @Test
    void concurrentPutsAreNeverLost() throws Exception {
        int threads = 4;
        int perThread = 250;
        List<TrustChange> seen = new CopyOnWriteArrayList<>();
        registry.subscribe(seen::add);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        registry.put(id(base + i), Role.OBSERVER);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(registry.snapshot()).hasSize(1 + threads * perThread);
        assertThat(seen).hasSize(threads * perThread).allMatch(c -> c.before() == null);
    }

    private static NodeId id(int n) {
        byte[] b = new byte[NodeId.LENGTH_BYTES];
        b[0] = 1;
        b[18] = (byte) (n >>> 8);
        b[19] = (byte) n;
        return NodeId.of(b);
    }
}
