package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.PeerlinkException;
import io.peerlink.core.Role;
import io.peerlink.core.config.Limits;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.testing.RawClient;
import io.peerlink.transport.testing.RawPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Established-link limits: inbound, outbound and per remote IP, refused with {@code TOO_MANY_CONNECTIONS}. */
class LimitsIT {
    static final Duration WAIT = Duration.ofSeconds(10);

    final TestNet net = new TestNet();
    final CountingObserver observer = new CountingObserver();
    final List<PeerEvent> events = new CopyOnWriteArrayList<>();
    private final List<RawClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        net.close();
    }

    Network node(Role role, Limits limits, List<io.peerlink.core.PeerAddress> seeds) {
        Network n = new Network(
                net.identity(role),
                net.trust,
                TestNet.config(role).limits(limits).seeds(seeds).build(),
                NetworkOptions.defaults().withIoThreads(1),
                observer);
        net.nodes.add(n);
        n.start().block(WAIT);
        n.events().subscribe(events::add);
        return n;
    }

    /** A trusted observer that completes the handshake from {@code localHost} (null: the default address). */
    RawClient authenticated(Network target, @Nullable String localHost, RawPeer me) {
        RawClient c = RawClient.connect(localHost, target.boundAddress());
        clients.add(c);
        c.authenticate(me, WAIT);
        return c;
    }

    RawPeer observerKey() {
        return new RawPeer(net.identity(Role.OBSERVER), Role.OBSERVER, "");
    }

    void assertRejected(NodeId peer, String limit) {
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(events)
                        .anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(PeerEvent.Rejected.class, r -> {
                            assertThat(r.peer()).isEqualTo(peer);
                            assertThat(r.reason()).isEqualTo(DisconnectReason.TOO_MANY_CONNECTIONS);
                            assertThat(r.detail()).contains(limit);
                        })));
        assertThat(observer.refusals(limit)).isPositive();
    }

    boolean connected(NodeId peer) {
        return events.stream()
                .anyMatch(e -> e instanceof PeerEvent.Connected c
                        && c.connection().peer().equals(peer));
    }

    @Test
    void nodeWithMaxInboundTwoRefusesTheThirdPeerAndAdmitsOneOnceASlotFrees() {
        Network target = node(Role.VALIDATOR, Limits.defaults().withMaxInbound(2), List.of());
        Network first = net.start(Role.OBSERVER, List.of(target.boundAddress()));
        net.start(Role.OBSERVER, List.of(target.boundAddress()));
        await().atMost(WAIT).until(() -> target.peers().size() == 2);

        RawPeer third = observerKey();
        RawClient refused = authenticated(target, null, third);

        assertThat(refused.awaitDisconnect(WAIT)).isEqualTo(DisconnectReason.TOO_MANY_CONNECTIONS);
        assertRejected(third.id(), "max_inbound");
        assertThat(target.peers()).hasSize(2);
        assertThat(connected(third.id())).isFalse();

        first.stop().block(WAIT);
        await().atMost(WAIT).until(() -> target.peers().size() == 1);
        RawPeer fourth = observerKey();
        authenticated(target, null, fourth);
        await().atMost(WAIT).until(() -> connected(fourth.id()));
    }

    @Test
    void nodeWithMaxOutboundOneRefusesItsSecondLink() {
        Network v1 = net.start(Role.VALIDATOR, List.of());
        Network v2 = net.start(Role.VALIDATOR, List.of());
        Network dialer = node(Role.OBSERVER, Limits.defaults().withMaxOutbound(1), List.of());

        assertThat(dialer.dial(v1.boundAddress()).block(WAIT).peer()).isEqualTo(v1.id());
        assertThatThrownBy(() -> dialer.dial(v2.boundAddress()).block(WAIT))
                .isInstanceOfSatisfying(
                        PeerlinkException.class,
                        e -> assertThat(e.reason()).isEqualTo(DisconnectReason.TOO_MANY_CONNECTIONS));

        assertRejected(v2.id(), "max_outbound");
        assertThat(TestNet.peerIds(dialer)).containsExactly(v1.id());
        await().atMost(WAIT).until(() -> v2.peers().isEmpty());
    }

    @Test
    void establishedLinksPerRemoteIpAreCappedButOtherAddressesStillGetIn() {
        Network target = node(Role.VALIDATOR, Limits.defaults().withPerIp(64, 2), List.of());
        net.start(Role.OBSERVER, List.of(target.boundAddress()));
        net.start(Role.OBSERVER, List.of(target.boundAddress()));
        await().atMost(WAIT).until(() -> target.peers().size() == 2);

        RawPeer sameIp = observerKey();
        RawClient refused = authenticated(target, "127.0.0.1", sameIp);
        assertThat(refused.awaitDisconnect(WAIT)).isEqualTo(DisconnectReason.TOO_MANY_CONNECTIONS);
        assertRejected(sameIp.id(), "max_connections_per_ip");

        RawPeer otherIp = observerKey();
        authenticated(target, "127.0.0.2", otherIp);
        await().atMost(WAIT).until(() -> connected(otherIp.id()));
        assertThat(observer.refusals("max_connections_per_ip")).isEqualTo(1);
    }
}
