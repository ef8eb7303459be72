package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.peerlink.core.Connection;
import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.PeerlinkException;
import io.peerlink.core.Role;
import io.peerlink.core.identity.NodeIdentity;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Two nodes over real loopback sockets. */
class HandshakeIT {
    private final TestNet net = new TestNet();

    @AfterEach
    void stop() {
        net.close();
    }

    @Test
    void twoNodesAuthenticateEachOtherWithRoleAndDirection() {
        Network a = net.start(Role.VALIDATOR, List.of());
        NodeIdentity bId = net.identity(Role.VALIDATOR);
        Network b = net.start(bId, TestNet.config(Role.VALIDATOR).build());

        Connection c = b.dial(a.boundAddress()).block(Duration.ofSeconds(5));

        assertThat(c.peer()).isEqualTo(a.id());
        assertThat(c.role()).isEqualTo(Role.VALIDATOR);
        assertThat(c.direction()).isEqualTo(Direction.OUTBOUND);
        assertThat(c.listenAddress()).isEqualTo(a.boundAddress());
        await().atMost(Duration.ofSeconds(5)).until(() -> a.peers().size() == 1);
        Connection atA = a.peers().get(0).connection();
        assertThat(atA.peer()).isEqualTo(b.id());
        assertThat(atA.direction()).isEqualTo(Direction.INBOUND);
        assertThat(atA.role()).isEqualTo(Role.VALIDATOR);
        // heartbeats measure a round-trip time
        await().atMost(Duration.ofSeconds(5)).until(() -> a.peers().get(0).rtt() != null);
    }

    @Test
    void observerConnectsToValidatorWithItsRole() {
        Network v = net.start(Role.VALIDATOR, List.of());
        Network o = net.start(Role.OBSERVER, List.of(v.boundAddress()));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> v.peers().size() == 1 && o.peers().size() == 1);
        assertThat(v.peers().get(0).connection().role()).isEqualTo(Role.OBSERVER);
        assertThat(o.peers().get(0).connection().direction()).isEqualTo(Direction.OUTBOUND);
    }

    @Test
    void untrustedKeyIsRejectedWithTheReasonOnBothSides() {
        Network a = net.start(Role.VALIDATOR, List.of());
        List<PeerEvent> atA = new CopyOnWriteArrayList<>();
        a.events().subscribe(atA::add);
        NodeIdentity stranger = NodeIdentity.generate(); // not in the trust registry
        Network s = net.start(stranger, TestNet.config(Role.VALIDATOR).build());
        List<PeerEvent> atS = new CopyOnWriteArrayList<>();
        s.events().subscribe(atS::add);

        assertThatThrownBy(() -> s.dial(a.boundAddress()).block(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(
                        PeerlinkException.class, e -> assertThat(e.reason()).isEqualTo(DisconnectReason.UNKNOWN_PEER));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(atA)
                    .anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(PeerEvent.Rejected.class, r -> {
                        assertThat(r.reason()).isEqualTo(DisconnectReason.UNKNOWN_PEER);
                        assertThat(r.byPeer()).isFalse();
                        assertThat(r.peer()).isEqualTo(stranger.id());
                    }));
            assertThat(atS)
                    .anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(PeerEvent.Rejected.class, r -> {
                        assertThat(r.reason()).isEqualTo(DisconnectReason.UNKNOWN_PEER);
                        assertThat(r.byPeer()).isTrue();
                    }));
        });
        assertThat(a.peers()).isEmpty();
        assertThat(s.peers()).isEmpty();
    }

    @Test
    void simultaneousDialsEndWithExactlyOneLinkEveryRound() {
        NodeIdentity aId = net.identity(Role.VALIDATOR);
        NodeIdentity bId = net.identity(Role.VALIDATOR);
        for (int round = 0; round < 200; round++) {
            Network a = net.start(aId, TestNet.config(Role.VALIDATOR).build());
            Network b = net.start(bId, TestNet.config(Role.VALIDATOR).build());
            Mono.zip(a.dial(b.boundAddress()), b.dial(a.boundAddress())).block(Duration.ofSeconds(10));
            int r = round;
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(a.peers()).as("round %d at a", r).hasSize(1);
                assertThat(b.peers()).as("round %d at b", r).hasSize(1);
                // both ends agree on which physical link survived
                Connection atA = a.peers().get(0).connection();
                Connection atB = b.peers().get(0).connection();
                assertThat(atA.direction()).as("round %d", r).isNotEqualTo(atB.direction());
                assertThat(atA.remoteAddress().port()).isNotZero();
            });
            a.stop().block(Duration.ofSeconds(5));
            b.stop().block(Duration.ofSeconds(5));
            net.nodes.clear();
        }
    }
}
