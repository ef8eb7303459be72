package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.config.Limits;
import io.peerlink.core.config.Timeouts;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.testing.RawClient;
import io.peerlink.transport.testing.RawPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Reserved slots over real sockets: strangers that fill the pending-handshake limits, and observers that fill
 * {@code max_inbound} and the per-IP cap, never keep a trusted validator from linking.
 */
class ReservedSlotsIT {
    static final Duration WAIT = Duration.ofSeconds(10);

    final TestNet net = new TestNet();
    final CountingObserver observer = new CountingObserver();
    private final List<RawClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        net.close();
    }

    Network target(Limits limits) {
        Network n = new Network(
                net.identity(Role.VALIDATOR),
                net.trust,
                TestNet.config(Role.VALIDATOR)
                        .limits(limits)
                        // the strangers' silent handshakes hold their slots for the whole test
                        .timeouts(new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(2)))
                        .build(),
                NetworkOptions.defaults().withIoThreads(1),
                observer);
        net.nodes.add(n);
        n.start().block(WAIT);
        return n;
    }

    RawClient connect(String localHost, PeerAddress to) {
        RawClient c = RawClient.connect(localHost, to);
        clients.add(c);
        return c;
    }

    Network validatorDialing(Network target) {
        return net.start(Role.VALIDATOR, List.of(target.boundAddress()));
    }

    @Test
    void validatorLinksWhileStrangersFillThePendingHandshakeLimits() {
        Network target = target(Limits.defaults().withMaxPendingHandshakes(2).withPerIp(2, 64));
        // a validator already linked from 127.0.0.1: the target now knows a validator lives at that address
        Network known = validatorDialing(target);
        await().atMost(WAIT).until(() -> TestNet.peerIds(target).contains(known.id()));

        // strangers from another address take every pending slot and say nothing
        List<RawClient> silent =
                List.of(connect("127.0.0.2", target.boundAddress()), connect("127.0.0.2", target.boundAddress()));
        await().atMost(WAIT).until(() -> target.openChannelCount() == 3);
        RawClient refused = connect("127.0.0.2", target.boundAddress());
        assertThat(refused.awaitDisconnect(WAIT)).isEqualTo(DisconnectReason.TOO_MANY_CONNECTIONS);
        assertThat(observer.refusals("max_pending_handshakes")).isEqualTo(1);

        // a trusted observer from the validators' address may take a reserved slot, but is refused as it identifies
        RawPeer observerKey = new RawPeer(net.identity(Role.OBSERVER), Role.OBSERVER, "");
        RawClient notAValidator = connect("127.0.0.1", target.boundAddress());
        notAValidator.send(observerKey.identify());
        assertThat(notAValidator.awaitDisconnect(WAIT)).isEqualTo(DisconnectReason.TOO_MANY_CONNECTIONS);
        assertThat(notAValidator.awaitClosed(WAIT)).isTrue();

        // a trusted validator the target never heard of dials in: it links, while the strangers still hold their slots
        NodeIdentity late = net.identity(Role.VALIDATOR);
        Network lateNode = net.start(
                late,
                TestNet.config(Role.VALIDATOR)
                        .seeds(List.of(target.boundAddress()))
                        .build());
        await().atMost(WAIT).until(() -> TestNet.peerIds(target).contains(late.id()));
        assertThat(TestNet.peerIds(lateNode)).contains(target.id());
        assertThat(silent).noneMatch(RawClient::ended);
        assertThat(observer.refusals("max_pending_handshakes"))
                .as("the ordinary budget stays full: strangers still refused")
                .isGreaterThanOrEqualTo(2);
        RawClient stillRefused = connect("127.0.0.2", target.boundAddress());
        assertThat(stillRefused.awaitDisconnect(WAIT)).isEqualTo(DisconnectReason.TOO_MANY_CONNECTIONS);
    }

    @Test
    void validatorLinksWhenObserversFillMaxInboundAndThePerIpCap() {
        Network target = target(Limits.defaults().withMaxInbound(2).withPerIp(64, 2));
        net.start(Role.OBSERVER, List.of(target.boundAddress()));
        net.start(Role.OBSERVER, List.of(target.boundAddress()));
        await().atMost(WAIT).until(() -> target.peers().size() == 2);

        RawPeer third = new RawPeer(net.identity(Role.OBSERVER), Role.OBSERVER, "");
        RawClient refused = connect("127.0.0.1", target.boundAddress());
        refused.authenticate(third, WAIT);
        assertThat(refused.awaitDisconnect(WAIT)).isEqualTo(DisconnectReason.TOO_MANY_CONNECTIONS);
        assertThat(observer.refusals("max_inbound")).isEqualTo(1);

        Network v1 = validatorDialing(target);
        Network v2 = validatorDialing(target);
        await().atMost(WAIT).until(() -> TestNet.peerIds(target).containsAll(List.of(v1.id(), v2.id())));
        assertThat(target.peers()).hasSize(4);
        assertThat(observer.refusals("max_inbound")).isEqualTo(1);
        assertThat(observer.refusals("max_connections_per_ip")).isZero();
    }
}
