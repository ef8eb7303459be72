package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.Role;
import io.peerlink.core.identity.NodeIdentity;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The operator's bans over real sockets: the config's list, and a ban (then its lifting) at run time. */
class BanIT {
    static final Duration WAIT = Duration.ofSeconds(10);

    private final TestNet net = new TestNet();

    @AfterEach
    void stop() {
        net.close();
    }

    @Test
    void aNodeOnTheConfigsBanListIsRefusedThoughTrusted() {
        NodeIdentity outcast = net.identity(Role.VALIDATOR);
        Network target = net.start(
                net.identity(Role.VALIDATOR),
                TestNet.config(Role.VALIDATOR).banned(List.of(outcast.id())).build());
        List<PeerEvent> events = new CopyOnWriteArrayList<>();
        target.events().subscribe(events::add);
        Network banned = net.start(outcast, TestNet.config(Role.VALIDATOR).build());

        assertThat(AttackIT.failureOf(banned.dial(target.boundAddress()).toFuture()))
                .isEqualTo(DisconnectReason.BANNED);
        await().atMost(WAIT)
                .until(() -> events.stream()
                        .anyMatch(e -> e instanceof PeerEvent.Rejected r
                                && r.reason() == DisconnectReason.BANNED
                                && outcast.id().equals(r.peer())));
        assertThat(target.peers()).isEmpty();
        // an honest node still gets in
        Network honest = net.start(Role.VALIDATOR, List.of(target.boundAddress()));
        await().atMost(WAIT).until(() -> TestNet.peerIds(target).contains(honest.id()));
    }

    @Test
    void aBanClosesTheLinkAndRefusesRedialsUntilLifted() {
        Network target = net.start(Role.VALIDATOR, List.of());
        Network peer = net.start(Role.OBSERVER, List.of());
        peer.dial(target.boundAddress()).block(WAIT);
        await().atMost(WAIT).until(() -> target.peers().size() == 1);
        List<PeerEvent> atPeer = new CopyOnWriteArrayList<>();
        peer.events().subscribe(atPeer::add);

        target.ban(peer.id(), Duration.ofMinutes(10), "banned by the test");

        await().atMost(WAIT)
                .until(() -> atPeer.stream()
                        .anyMatch(e -> e instanceof PeerEvent.Disconnected d
                                && d.reason() == DisconnectReason.BANNED
                                && d.byPeer()));
        assertThat(AttackIT.failureOf(peer.dial(target.boundAddress()).toFuture()))
                .isEqualTo(DisconnectReason.BANNED);

        assertThat(target.unban(peer.id())).isTrue();
        peer.dial(target.boundAddress()).block(WAIT);
        await().atMost(WAIT).until(() -> TestNet.peerIds(target).contains(peer.id()));
    }
}
