package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.peerlink.core.Connection;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.PeerlinkException;
import io.peerlink.core.Role;
import io.peerlink.core.config.DialPolicy;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.TransportObserver;
import io.peerlink.transport.testing.RawClient;
import io.peerlink.transport.testing.RawPeer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.test.StepVerifier;

/** The peer event stream and dialing, as an embedder sees them on real sockets. */
class PeerEventsIT {
    static final Duration WAIT = Duration.ofSeconds(10);

    private final TestNet net = new TestNet();

    @AfterEach
    void stop() {
        net.close();
    }

    private Network start(
            NodeIdentity id,
            io.peerlink.core.config.NodeConfig config,
            NetworkOptions options,
            TransportObserver observer) {
        Network n = new Network(id, net.trust, config, options, observer);
        net.nodes.add(n);
        n.start().block(WAIT);
        return n;
    }

    @Test
    void lateSubscriberFirstReceivesTheCurrentPeersAsConnected() {
        Network hub = net.start(Role.VALIDATOR, List.of());
        Network v = net.start(Role.VALIDATOR, List.of(hub.boundAddress()));
        Network o = net.start(Role.OBSERVER, List.of(hub.boundAddress()));
        await().atMost(WAIT).until(() -> hub.peers().size() == 2);

        StepVerifier.create(hub.events()
                        .take(2)
                        .map(e -> ((PeerEvent.Connected) e).connection().peer()))
                .recordWith(ArrayList::new)
                .expectNextCount(2)
                .consumeRecordedWith(ids -> assertThat(ids).containsExactlyInAnyOrder(v.id(), o.id()))
                .expectComplete()
                .verify(WAIT);
    }

    /** mission-audit appendix: a subscriber that blocked 3 s on the I/O thread delayed another node's dial by 3 s. */
    @Test
    void aSubscriberThatBlocksItsThreadDelaysNoDialAndNoHandshake() throws Exception {
        Network target = net.start(Role.VALIDATOR, List.of());
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stuck = new CountDownLatch(1);
        target.events().subscribe(e -> {
            stuck.countDown();
            try {
                release.await(); // blocks until the test is done: on an I/O thread this would freeze the loop
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            Network first = net.start(Role.VALIDATOR, List.of(target.boundAddress()));
            await().atMost(WAIT).until(() -> first.peers().size() == 1);
            assertThat(stuck.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

            // the subscriber is now stuck in its first event; new links are made and announced all the same
            List<Network> later = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                later.add(net.start(Role.VALIDATOR, List.of()));
            }
            for (Network n : later) {
                n.dial(target.boundAddress()).block(WAIT);
            }
            await().atMost(WAIT).until(() -> target.peers().size() == 4);
            List<PeerEvent> seenByAnother = new CopyOnWriteArrayList<>();
            target.events().subscribe(seenByAnother::add);
            await().atMost(WAIT).until(() -> seenByAnother.size() == 4);
            assertThat(release.getCount())
                    .as("the blocking subscriber was still stuck throughout")
                    .isEqualTo(1);
        } finally {
            release.countDown();
        }
    }

    @Test
    void slowSubscriberIsDroppedWhileOtherSubscribersAndLinksCarryOn() {
        int buffer = 16;
        NetworkOptions options = new NetworkOptions(
                1,
                NetworkOptions.NativeTransport.AUTO,
                NetworkOptions.CryptoPlacement.OFFLOAD,
                0,
                buffer,
                8192,
                NetworkOptions.SendPolicy.WAIT);
        Network target = start(
                net.identity(Role.VALIDATOR), TestNet.config(Role.VALIDATOR).build(), options, TransportObserver.NOOP);
        Network peer = net.start(Role.VALIDATOR, List.of(target.boundAddress()));
        await().atMost(WAIT).until(() -> target.peers().size() == 1);

        AtomicReference<Throwable> slowError = new AtomicReference<>();
        AtomicInteger slowReceived = new AtomicInteger();
        BaseSubscriber<PeerEvent> slow = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                // requests nothing until the end of the test
            }

            @Override
            protected void hookOnNext(PeerEvent value) {
                slowReceived.incrementAndGet();
            }

            @Override
            protected void hookOnError(Throwable error) {
                slowError.set(error);
            }
        };
        target.events().subscribe(slow);
        List<PeerEvent> others = new CopyOnWriteArrayList<>();
        target.events().subscribe(others::add);

        // more rejected handshakes than the slow subscriber can buffer
        int strangers = buffer + 8;
        for (int i = 0; i < strangers; i++) {
            try (RawClient c = RawClient.connect(target.boundAddress())) {
                c.send(new RawPeer(NodeIdentity.generate(), Role.VALIDATOR, "").identify());
                assertThat(c.awaitDisconnect(WAIT)).isEqualTo(DisconnectReason.UNKNOWN_PEER);
            }
        }

        await().atMost(WAIT)
                .until(() -> others.stream()
                                .filter(e -> e instanceof PeerEvent.Rejected)
                                .count()
                        == strangers);
        // networking never waited for the slow subscriber: the link is up and a new peer still gets in
        assertThat(TestNet.peerIds(target)).containsExactly(peer.id());
        Network late = net.start(Role.OBSERVER, List.of(target.boundAddress()));
        await().atMost(WAIT).until(() -> TestNet.peerIds(target).contains(late.id()));
        assertThat(others)
                .anySatisfy(e -> assertThat(e)
                        .isInstanceOfSatisfying(
                                PeerEvent.Connected.class,
                                c -> assertThat(c.connection().peer()).isEqualTo(late.id())));

        // the slow subscriber was dropped: reading now, it gets its full buffer and then the error
        slow.request(Long.MAX_VALUE);
        await().atMost(WAIT).until(() -> slowError.get() != null);
        assertThat(slowError.get()).hasMessageContaining("too slow");
        assertThat(slowReceived.get()).isEqualTo(buffer);
    }

    @Test
    void dialFailedIsPublishedAfterTheLastAttemptToAClosedPort() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PeerAddress closed = new PeerAddress("127.0.0.1", port);
        CountingDials dials = new CountingDials();
        Network dialer = start(
                net.identity(Role.OBSERVER),
                TestNet.config(Role.OBSERVER)
                        .dial(new DialPolicy(
                                3, Duration.ofMillis(20), Duration.ofMillis(50), 0.1, Duration.ofSeconds(30)))
                        .build(),
                NetworkOptions.defaults().withIoThreads(1),
                dials);
        List<PeerEvent> events = new CopyOnWriteArrayList<>();
        dialer.events().subscribe(events::add);

        assertThatThrownBy(() -> dialer.dial(closed).block(WAIT))
                .isInstanceOfSatisfying(
                        PeerlinkException.class, e -> assertThat(e.retryable()).isTrue());

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(events)
                        .singleElement()
                        .isInstanceOfSatisfying(PeerEvent.DialFailed.class, f -> {
                            assertThat(f.address()).isEqualTo(closed);
                            assertThat(f.expected()).isNull();
                            assertThat(f.reason()).isEqualTo(DisconnectReason.CONNECTION_CLOSED);
                            assertThat(f.detail()).contains("after 3 attempts");
                        }));
        assertThat(dials.attempts.get()).isEqualTo(3);
        assertThat(dials.failures.get()).isEqualTo(1);
    }

    @Test
    void concurrentDialsOfOneAddressOpenOneSocketAndShareOneConnection() throws Exception {
        CountingHandshakes accepted = new CountingHandshakes();
        Network target = start(
                net.identity(Role.VALIDATOR),
                TestNet.config(Role.VALIDATOR).build(),
                NetworkOptions.defaults().withIoThreads(1),
                accepted);
        CountingDials dials = new CountingDials();
        Network dialer = start(
                net.identity(Role.OBSERVER),
                TestNet.config(Role.OBSERVER).build(),
                NetworkOptions.defaults().withIoThreads(1),
                dials);

        int callers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Connection>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return dialer.dial(target.boundAddress()).block(WAIT);
                }));
            }
            go.countDown();
            Connection first = results.get(0).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            for (Future<Connection> r : results) {
                assertThat(r.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(first);
            }
            assertThat(first.peer()).isEqualTo(target.id());
        } finally {
            pool.shutdownNow();
        }
        assertThat(dials.attempts.get()).as("TCP connects").isEqualTo(1);
        // the target authenticates the dialer a half round trip after the dialer is done
        await().atMost(WAIT).until(() -> accepted.succeeded.get() >= 1);
        assertThat(accepted.succeeded.get())
                .as("handshakes accepted by the target")
                .isEqualTo(1);
        assertThat(target.openChannelCount()).isEqualTo(1);
        assertThat(dialer.openChannelCount()).isEqualTo(1);
    }

    @Test
    void dialingAnAddressAlreadyLinkedReturnsThatLinkWithoutANewSocket() {
        Network target = start(
                net.identity(Role.VALIDATOR),
                TestNet.config(Role.VALIDATOR).build(),
                NetworkOptions.defaults().withIoThreads(1),
                TransportObserver.NOOP);
        CountingDials dials = new CountingDials();
        Network dialer = start(
                net.identity(Role.OBSERVER),
                TestNet.config(Role.OBSERVER).build(),
                NetworkOptions.defaults().withIoThreads(1),
                dials);

        Connection first = dialer.dial(target.boundAddress()).block(WAIT);
        Connection again = dialer.dial(target.boundAddress()).block(WAIT);

        assertThat(again).isEqualTo(first);
        assertThat(dials.attempts.get()).as("TCP connects").isEqualTo(1);
        assertThat(dialer.openChannelCount()).isEqualTo(1);
    }

    static final class CountingDials implements TransportObserver {
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();

        @Override
        public void dialAttempt(PeerAddress address) {
            attempts.incrementAndGet();
        }

        @Override
        public void dialFailed(PeerAddress address, DisconnectReason reason) {
            failures.incrementAndGet();
        }
    }

    static final class CountingHandshakes implements TransportObserver {
        final AtomicInteger succeeded = new AtomicInteger();

        @Override
        public void handshakeSucceeded(io.peerlink.core.Direction direction, long nanos) {
            succeeded.incrementAndGet();
        }
    }
}
