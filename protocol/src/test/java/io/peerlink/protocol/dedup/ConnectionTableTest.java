package io.peerlink.protocol.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerlink.core.Direction;
import io.peerlink.core.NodeId;
import io.peerlink.protocol.dedup.ConnectionTable.Outcome;
import io.peerlink.protocol.dedup.ConnectionTable.Registration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConnectionTableTest {

    static final NodeId LOW = NodeId.parse("pl" + "11".repeat(20));
    static final NodeId HIGH = NodeId.parse("pl" + "99".repeat(20));

    // seen from LOW, its own outbound links win against HIGH
    final ConnectionTable<String> table = new ConnectionTable<>(LOW);

    @Test
    void firstLinkIsAdded() {
        Registration<String> r = table.register(HIGH, Direction.INBOUND, "in");

        assertThat(r).isEqualTo(new Registration<>(Outcome.ADDED, "in", null));
        assertThat(table.contains(HIGH)).isTrue();
        assertThat(table.size()).isOne();
        assertThat(table.get(HIGH)).isEqualTo(new ConnectionTable.Link<>(HIGH, Direction.INBOUND, "in"));
        assertThat(table.links()).containsExactly(new ConnectionTable.Link<>(HIGH, Direction.INBOUND, "in"));
    }

    @Test
    void preferredCandidateReplacesTheExistingLink() {
        table.register(HIGH, Direction.INBOUND, "in");

        Registration<String> r = table.register(HIGH, Direction.OUTBOUND, "out");

        assertThat(r).isEqualTo(new Registration<>(Outcome.REPLACED, "out", "in"));
        assertThat(table.get(HIGH).handle()).isEqualTo("out");
    }

    @Test
    void otherCandidateIsADuplicate() {
        table.register(HIGH, Direction.OUTBOUND, "out");

        Registration<String> r = table.register(HIGH, Direction.INBOUND, "in");

        assertThat(r).isEqualTo(new Registration<>(Outcome.DUPLICATE, "out", null));
        assertThat(table.get(HIGH).handle()).isEqualTo("out");
    }

    @Test
    void secondLinkDialedByTheSameNodeReplacesTheStaleOne() {
        table.register(HIGH, Direction.INBOUND, "first");

        assertThat(table.register(HIGH, Direction.INBOUND, "second"))
                .isEqualTo(new Registration<>(Outcome.REPLACED, "second", "first"));
        assertThat(table.get(HIGH).handle()).isEqualTo("second");
    }

    @Test
    void removeOnlyRemovesTheCurrentHandle() {
        table.register(HIGH, Direction.INBOUND, "in");
        table.register(HIGH, Direction.OUTBOUND, "out");

        assertThat(table.remove(HIGH, "in"))
                .as("the replaced link closing late")
                .isFalse();
        assertThat(table.get(HIGH).handle()).isEqualTo("out");
        assertThat(table.remove(LOW, "out")).isFalse();
        assertThat(table.remove(HIGH, "out")).isTrue();
        assertThat(table.contains(HIGH)).isFalse();
        assertThat(table.get(HIGH)).isNull();
        assertThat(table.remove(HIGH, "out")).isFalse();
    }

    @Test
    void removeComparesHandlesByIdentity() {
        String handle = new String("h");
        table.register(HIGH, Direction.INBOUND, handle);

        assertThat(table.remove(HIGH, new String("h"))).isFalse();
        assertThat(table.remove(HIGH, handle)).isTrue();
    }

    @Test
    void linksIsASnapshot() {
        table.register(HIGH, Direction.INBOUND, "in");
        List<ConnectionTable.Link<String>> snapshot = table.links();
        table.remove(HIGH, "in");

        assertThat(snapshot).hasSize(1);
        assertThat(table.links()).isEmpty();
    }

    /**
     * Many threads register links to the same peers at once. Every link must end up either kept or handed back
     * for closing exactly once (as a duplicate candidate or as the replaced link), never lost nor closed twice.
     */
    @Test
    void concurrentRegistrationsKeepOneLinkPerPeerAndCloseEveryOtherOnce() throws Exception {
        int threads = 4;
        int peers = 200;
        List<NodeId> ids = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            byte[] b = new byte[NodeId.LENGTH_BYTES];
            b[0] = (byte) (i % 2 == 0 ? 0x01 : 0xf0); // half below LOW, half above
            b[19] = (byte) i;
            b[18] = (byte) (i >> 8);
            ids.add(NodeId.of(b));
        }
        Set<Object> toClose = ConcurrentHashMap.newKeySet();
        List<Object> closedTwice = new java.util.concurrent.CopyOnWriteArrayList<>();
        ConnectionTable<Object> shared = new ConnectionTable<>(LOW);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Object> all = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Direction direction = t % 2 == 0 ? Direction.OUTBOUND : Direction.INBOUND;
                List<Object> handles = new ArrayList<>();
                for (int i = 0; i < peers; i++) {
                    handles.add(new Object());
                }
                all.addAll(handles);
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < peers; i++) {
                        Registration<Object> r = shared.register(ids.get(i), direction, handles.get(i));
                        Object closed = switch (r.outcome()) {
                            case ADDED -> null;
                            case REPLACED, RESTARTED -> r.replaced();
                            case DUPLICATE -> handles.get(i);
                        };
                        if (closed != null && !toClose.add(closed)) {
                            closedTwice.add(closed);
                        }
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

        assertThat(closedTwice).isEmpty();
        assertThat(shared.size()).isEqualTo(peers);
        Set<Object> kept = new HashSet<>();
        for (NodeId id : ids) {
            ConnectionTable.Link<Object> link = shared.get(id);
            assertThat(link.direction()).isEqualTo(TieBreak.preferredDirection(LOW, id));
            kept.add(link.handle());
        }
        assertThat(kept).doesNotContainAnyElementsOf(toClose);
        Set<Object> accounted = new HashSet<>(kept);
        accounted.addAll(toClose);
        assertThat(accounted).hasSize(all.size()).containsAll(all);
    }
}
