package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerlink.core.Connection;
import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.Role;
import io.peerlink.core.identity.NodeIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class PeerEventBusTest {
    static final Duration WAIT = Duration.ofSeconds(5);

    private final PeerEventBus bus = new PeerEventBus(16, Schedulers.immediate());

    static Connection connection(int port) {
        return new Connection(
                NodeIdentity.generate().id(),
                Role.VALIDATOR,
                new PeerAddress("10.0.0.1", port),
                null,
                Direction.OUTBOUND,
                Instant.EPOCH);
    }

    static PeerEvent.Rejected rejected(int i) {
        return new PeerEvent.Rejected(
                new PeerAddress("10.0.0.9", 1000 + i), null, DisconnectReason.UNKNOWN_PEER, "#" + i, false);
    }

    @Test
    void lateSubscriberFirstReceivesTheCurrentPeersAsConnected() {
        Connection a = connection(1);
        Connection b = connection(2);
        Connection c = connection(3);
        bus.publish(new PeerEvent.Connected(a));
        bus.publish(new PeerEvent.Connected(b));
        bus.publish(new PeerEvent.Lost(a, DisconnectReason.HEARTBEAT_TIMEOUT, "silent"));
        bus.publish(new PeerEvent.Connected(c));
        bus.publish(new PeerEvent.Disconnected(c, DisconnectReason.REVOKED, "gone", false));
        bus.publish(rejected(0)); // not a peer: not replayed

        StepVerifier.create(bus.events())
                .expectNext(new PeerEvent.Connected(b))
                .then(() -> bus.publish(rejected(1)))
                .expectNext(rejected(1))
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void silentLinkSwapUpdatesTheReplayedConnectionWithoutAnEvent() {
        Connection old = connection(1);
        Connection swapped = new Connection(
                old.peer(), old.role(), new PeerAddress("10.0.0.1", 9), null, Direction.INBOUND, Instant.EPOCH);
        bus.publish(new PeerEvent.Connected(old));
        List<PeerEvent> live = new CopyOnWriteArrayList<>();
        bus.events().subscribe(live::add);

        bus.replace(swapped);

        assertThat(live).containsExactly(new PeerEvent.Connected(old));
        StepVerifier.create(bus.events().take(1))
                .expectNext(new PeerEvent.Connected(swapped))
                .verifyComplete();
    }

    @Test
    void restartIsPublishedAndTheReplayShowsTheNewLink() {
        Connection old = connection(1);
        Connection fresh = new Connection(
                old.peer(),
                old.role(),
                new PeerAddress("10.0.0.1", 9),
                null,
                Direction.INBOUND,
                Instant.EPOCH,
                "00112233aabbccdd",
                2);
        bus.publish(new PeerEvent.Connected(old));
        List<PeerEvent> live = new CopyOnWriteArrayList<>();
        bus.events().subscribe(live::add);

        bus.publish(new PeerEvent.Restarted(old, fresh));

        assertThat(live).containsExactly(new PeerEvent.Connected(old), new PeerEvent.Restarted(old, fresh));
        StepVerifier.create(bus.events().take(1))
                .expectNext(new PeerEvent.Connected(fresh))
                .verifyComplete();
        assertThatThrownBy(() -> new PeerEvent.Restarted(old, connection(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: the same peer");
    }

    @Test
    void everySubscriberReceivesEveryEventInOrder() {
        List<List<PeerEvent>> seen = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            List<PeerEvent> list = new CopyOnWriteArrayList<>();
            bus.events().subscribe(list::add);
            seen.add(list);
        }
        List<PeerEvent> published = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            published.add(rejected(i));
            bus.publish(rejected(i));
        }
        assertThat(seen).allSatisfy(list -> assertThat(list).containsExactlyElementsOf(published));
    }

    @Test
    void subscriberThatFallsAFullBufferBehindIsDroppedWhileOthersCarryOn() {
        SlowSubscriber slow = new SlowSubscriber();
        bus.events().subscribe(slow);
        List<PeerEvent> fast = new CopyOnWriteArrayList<>();
        bus.events().subscribe(fast::add);

        for (int i = 0; i < 40; i++) {
            bus.publish(rejected(i)); // never blocks, however far behind the slow one is
        }
        assertThat(fast).hasSize(40);
        bus.publish(rejected(40));
        assertThat(fast).hasSize(41);

        // when it finally reads, it gets what its buffer held, then learns that it was dropped
        slow.request(100);
        assertThat(slow.received)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 16)
                        .mapToObj(PeerEventBusTest::rejected)
                        .toList());
        assertThat(slow.error.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("too slow");
    }

    @Test
    void aSubscriberThatBlocksNeverHoldsUpThePublisherOrTheOtherSubscribers() throws Exception {
        PeerEventBus offLoop = new PeerEventBus(16, Schedulers.boundedElastic());
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch blocking = new java.util.concurrent.CountDownLatch(1);
        offLoop.events().subscribe(e -> {
            blocking.countDown();
            try {
                release.await(); // a subscriber that blocks its thread until the test lets it go
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        List<PeerEvent> other = new CopyOnWriteArrayList<>();
        offLoop.events().subscribe(other::add);
        try {
            offLoop.publish(rejected(0));
            assertThat(blocking.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            // the publisher (an I/O thread in a node) returns at once while the first subscriber is stuck
            for (int i = 1; i < 10; i++) {
                offLoop.publish(rejected(i));
            }
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> other.size() == 10);
        } finally {
            release.countDown();
            offLoop.complete();
        }
    }

    /** Requests nothing until told to. */
    static final class SlowSubscriber extends BaseSubscriber<PeerEvent> {
        final List<PeerEvent> received = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            // no demand yet
        }

        @Override
        protected void hookOnNext(PeerEvent value) {
            received.add(value);
        }

        @Override
        protected void hookOnError(Throwable throwable) {
            error.set(throwable);
        }
    }

    @Test
    void subscriberThatRequestsLaterGetsWhatWasBuffered() {
        StepVerifier.create(bus.events(), 0)
                .then(() -> {
                    for (int i = 0; i < 10; i++) {
                        bus.publish(rejected(i));
                    }
                })
                .expectNoEvent(Duration.ofMillis(10))
                .thenRequest(10)
                .expectNextCount(10)
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void cancelledSubscriberLeavesTheBus() {
        List<PeerEvent> kept = new CopyOnWriteArrayList<>();
        bus.events().take(2).subscribe(kept::add);
        for (int i = 0; i < 5; i++) {
            bus.publish(rejected(i));
        }
        assertThat(kept).containsExactly(rejected(0), rejected(1));
    }

    @Test
    void completeEndsEveryStreamAndLaterSubscribersGetTheSnapshotThenComplete() {
        Connection a = connection(1);
        bus.publish(new PeerEvent.Connected(a));
        List<PeerEvent> live = new CopyOnWriteArrayList<>();
        AtomicReference<Boolean> completed = new AtomicReference<>(false);
        bus.events().subscribe(live::add, e -> {}, () -> completed.set(true));

        bus.complete();

        assertThat(completed.get()).isTrue();
        assertThat(live).containsExactly(new PeerEvent.Connected(a));
        StepVerifier.create(bus.events())
                .expectNext(new PeerEvent.Connected(a))
                .expectComplete()
                .verify(WAIT);
    }
}
