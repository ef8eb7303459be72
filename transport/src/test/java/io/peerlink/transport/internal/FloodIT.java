package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.Role;
import io.peerlink.core.config.HeartbeatConfig;
import io.peerlink.core.config.Limits;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.config.Timeouts;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.testing.RawClient;
import io.peerlink.transport.testing.RawPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Connection floods against a real node over loopback: the pending-handshake limits refuse the excess with
 * {@code TOO_MANY_CONNECTIONS}, the deadline clears the rest, and an established link keeps its heartbeats
 * flowing the whole time.
 */
class FloodIT {
    static final Duration WAIT = Duration.ofSeconds(15);
    static final Duration DEADLINE = Duration.ofSeconds(2);
    /**
     * Heartbeats every 400 ms, lost after 2.4 s of silence: longer than TestNet's 1.2 s so that a loaded 2-core
     * machine does not starve a link by itself, short enough that a flood stalling the event loop would show.
     */
    static final HeartbeatConfig HEARTBEAT = new HeartbeatConfig(Duration.ofMillis(400), 5);

    final TestNet net = new TestNet();
    final CountingObserver observer = new CountingObserver();
    final List<PeerEvent> targetEvents = new CopyOnWriteArrayList<>();
    final List<PeerEvent> peerEvents = new CopyOnWriteArrayList<>();
    private final List<RawClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        net.close();
    }

    Network target(Limits limits) {
        NodeConfig config = TestNet.config(Role.VALIDATOR)
                .heartbeat(HEARTBEAT)
                .limits(limits)
                .timeouts(new Timeouts(DEADLINE, Duration.ofSeconds(3), Duration.ofSeconds(5)))
                .build();
        Network n = new Network(
                net.identity(Role.VALIDATOR),
                net.trust,
                config,
                NetworkOptions.defaults().withIoThreads(1),
                observer);
        net.nodes.add(n);
        n.start().block(WAIT);
        n.events().subscribe(targetEvents::add);
        return n;
    }

    /** A validator linked to the target before the flood; returns a counter of the pings the target gets. */
    PingCounter establishedPeer(Network target) {
        Network peer = net.start(
                net.identity(Role.VALIDATOR),
                TestNet.config(Role.VALIDATOR)
                        .heartbeat(HEARTBEAT)
                        .seeds(List.of(target.boundAddress()))
                        .build());
        await().atMost(WAIT).until(() -> TestNet.peerIds(target).contains(peer.id()));
        peer.events().subscribe(peerEvents::add);
        return PingCounter.install(target.channelTo(peer.id()));
    }

    /** The most handshakes {@code slots} can hold in {@code elapsedNanos}: each slot frees at its deadline. */
    static int maxAdmitted(int slots, long elapsedNanos) {
        return slots * (int) (1 + elapsedNanos / DEADLINE.toNanos() + 1);
    }

    Map<DisconnectReason, Integer> reasons(List<RawClient> flood) {
        Map<DisconnectReason, Integer> count = new EnumMap<>(DisconnectReason.class);
        for (RawClient c : flood) {
            count.merge(c.awaitDisconnect(WAIT), 1, Integer::sum);
        }
        for (RawClient c : flood) {
            assertThat(c.awaitClosed(WAIT)).as("closed by the node").isTrue();
        }
        return count;
    }

    void assertEstablishedLinkSurvived(Network target, PingCounter pings, int pingsBefore) {
        assertThat(peerEvents).noneMatch(e -> e instanceof PeerEvent.Lost || e instanceof PeerEvent.Disconnected);
        assertThat(targetEvents).noneMatch(e -> e instanceof PeerEvent.Lost || e instanceof PeerEvent.Disconnected);
        assertThat(target.peers()).hasSize(1);
        assertThat(pings.pings())
                .as("heartbeats kept arriving during the flood")
                .isGreaterThan(pingsBefore);
    }

    @Test
    void halfOpenConnectionFloodIsCappedAndClearedWhileAnEstablishedLinkStaysUp() {
        int slots = 64;
        int flood = 300;
        // this test is about the pending cap: the per-IP rate (one loopback address here) would refuse first
        Network target = target(Limits.defaults()
                .withMaxPendingHandshakes(slots)
                .withPerIp(1000, 128)
                .withHandshakeRatePerIp(10_000, 10_000));
        PingCounter pings = establishedPeer(target);
        int pingsBefore = pings.pings();

        long start = System.nanoTime();
        List<RawClient> sockets = new ArrayList<>();
        for (int i = 0; i < flood; i++) {
            RawClient c = RawClient.connect(target.boundAddress()); // connects and says nothing
            clients.add(c);
            sockets.add(c);
        }
        long connecting = System.nanoTime() - start;
        Map<DisconnectReason, Integer> reasons = reasons(sockets);

        int refused = reasons.getOrDefault(DisconnectReason.TOO_MANY_CONNECTIONS, 0);
        int timedOut = reasons.getOrDefault(DisconnectReason.HANDSHAKE_TIMEOUT, 0);
        assertThat(refused + timedOut).as("reasons %s", reasons).isEqualTo(flood);
        assertThat(refused).isPositive();
        assertThat(timedOut).isBetween(1, maxAdmitted(slots, connecting));
        assertThat(observer.refusals("max_pending_handshakes")).isEqualTo(refused);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(targetEvents.stream()
                                .filter(e -> e instanceof PeerEvent.Rejected r
                                        && r.reason() == DisconnectReason.HANDSHAKE_TIMEOUT))
                        .hasSize(timedOut));
        // nothing half-open is left: only the established link
        await().atMost(WAIT).until(() -> target.openChannelCount() == 1);
        assertEstablishedLinkSurvived(target, pings, pingsBefore);
    }

    @Test
    void handshakeFloodFromOneAddressIsCappedPerIpAndOthersStillConnect() {
        int perIp = 8;
        int flood = 40;
        Network target = target(Limits.defaults().withPerIp(perIp, 128));
        PingCounter pings = establishedPeer(target);
        int pingsBefore = pings.pings();
        RawPeer mallory = new RawPeer(net.identity(Role.OBSERVER), Role.OBSERVER, "");

        long start = System.nanoTime();
        List<RawClient> sockets = new ArrayList<>();
        for (int i = 0; i < flood; i++) {
            RawClient c = RawClient.connect("127.0.0.2", target.boundAddress());
            clients.add(c);
            sockets.add(c);
            c.send(mallory.identify()); // starts a handshake and never proves anything
        }
        long connecting = System.nanoTime() - start;

        // an honest node from another address gets in while the flood is pending
        NodeIdentity honest = net.identity(Role.OBSERVER);
        Network late = net.start(
                honest,
                TestNet.config(Role.OBSERVER)
                        .heartbeat(HEARTBEAT)
                        .seeds(List.of(target.boundAddress()))
                        .build(),
                // attached to the target only: it must not link to the established peer, whose events are checked
                NetworkOptions.defaults().withIoThreads(1).withAttachTo(1));
        await().atMost(WAIT).until(() -> TestNet.peerIds(target).contains(honest.id()));

        Map<DisconnectReason, Integer> reasons = reasons(sockets);
        int refused = reasons.getOrDefault(DisconnectReason.TOO_MANY_CONNECTIONS, 0);
        int timedOut = reasons.getOrDefault(DisconnectReason.HANDSHAKE_TIMEOUT, 0);
        assertThat(refused + timedOut).as("reasons %s", reasons).isEqualTo(flood);
        assertThat(refused).isPositive();
        assertThat(timedOut).isBetween(1, maxAdmitted(perIp, connecting));
        assertThat(observer.refusals("max_pending_per_ip")).isEqualTo(refused);

        late.stop().block(WAIT);
        await().atMost(WAIT).until(() -> target.peers().size() == 1);
        assertThat(peerEvents).noneMatch(e -> e instanceof PeerEvent.Lost || e instanceof PeerEvent.Disconnected);
        assertThat(targetEvents).noneMatch(e -> e instanceof PeerEvent.Lost);
        assertThat(pings.pings())
                .as("heartbeats kept arriving during the flood")
                .isGreaterThan(pingsBefore);
        await().atMost(WAIT).until(() -> target.openChannelCount() == 1);
    }
}
