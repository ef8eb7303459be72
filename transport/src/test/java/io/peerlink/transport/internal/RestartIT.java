package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerlink.core.Connection;
import io.peerlink.core.Direction;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.PeerStatus;
import io.peerlink.core.Role;
import io.peerlink.core.config.HeartbeatConfig;
import io.peerlink.core.identity.NodeIdentity;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A restarted validator takes over its old, half-dead link at once: the survivor dialed the old link through a
 * relay that then froze (no byte, no FIN, no reset: a crashed host), the validator is aborted and started again
 * with the same key, and dials the survivor. Its newer boot incarnation replaces the old link without waiting for
 * the heartbeat, in both tie-break directions (before, with the survivor's id smaller, it was refused as
 * {@code duplicate} until the heartbeat dropped the old link), and the survivor's subscribers see
 * {@link PeerEvent.Restarted}. Both ends report the same link id.
 */
class RestartIT {
    /** Far longer than the takeover may take: the heartbeat must not be what ends the old link. */
    static final HeartbeatConfig SLOW_HEARTBEAT = new HeartbeatConfig(Duration.ofMillis(500), 20);

    private final TestNet net = new TestNet();

    @AfterEach
    void stop() {
        net.close();
    }

    @Test
    void survivorWithTheSmallerIdTakesTheRestartedPeerAtOnce() throws Exception {
        restartOverAHalfDeadLink(true);
    }

    @Test
    void survivorWithTheLargerIdTakesTheRestartedPeerAtOnceAndSaysSo() throws Exception {
        restartOverAHalfDeadLink(false);
    }

    private void restartOverAHalfDeadLink(boolean survivorSmaller) throws Exception {
        NodeIdentity x = net.identity(Role.VALIDATOR);
        NodeIdentity y = net.identity(Role.VALIDATOR);
        boolean xSmaller = x.id().compareTo(y.id()) < 0;
        NodeIdentity survivorKey = xSmaller == survivorSmaller ? x : y;
        NodeIdentity peerKey = survivorKey == x ? y : x;

        Network peer = net.start(
                peerKey,
                TestNet.config(Role.VALIDATOR).heartbeat(SLOW_HEARTBEAT).build());
        try (FreezableRelay relay = new FreezableRelay(peer.boundAddress())) {
            Network survivor = net.start(
                    survivorKey,
                    TestNet.config(Role.VALIDATOR)
                            .heartbeat(SLOW_HEARTBEAT)
                            .seeds(List.of(relay.address()))
                            .build());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> survivor.peers().size() == 1 && peer.peers().size() == 1);
            Connection old = only(survivor);
            assertThat(old.direction()).isEqualTo(Direction.OUTBOUND);
            assertThat(old.linkId())
                    .matches("[0-9a-f]{16}")
                    .isEqualTo(only(peer).linkId());

            List<PeerEvent> events = new CopyOnWriteArrayList<>();
            survivor.events().subscribe(events::add);
            await().atMost(Duration.ofSeconds(5)).until(() -> !events.isEmpty()); // the replayed Connected

            // the peer's host "crashes": nothing of its goodbye reaches the survivor
            relay.freeze();
            peer.abort().block(Duration.ofSeconds(10));
            long upAt = System.nanoTime();
            Network restarted = net.start(
                    peerKey,
                    TestNet.config(Role.VALIDATOR)
                            .heartbeat(SLOW_HEARTBEAT)
                            .seeds(List.of(survivor.boundAddress()))
                            .build());
            await().atMost(SLOW_HEARTBEAT.detectionBound().dividedBy(2))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> restarted.peers().size() == 1
                            && survivor.peers().size() == 1
                            && only(survivor).linkId().equals(only(restarted).linkId()));
            long linkedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - upAt);
            System.out.printf(
                    "RestartIT: survivor id %s: restarted peer linked %d ms after its start() completed "
                            + "(old link half-dead, heartbeat bound %d ms)%n",
                    survivorSmaller ? "smaller" : "larger",
                    linkedMillis,
                    SLOW_HEARTBEAT.detectionBound().toMillis());

            Connection fresh = only(survivor);
            assertThat(fresh.direction()).isEqualTo(Direction.INBOUND);
            assertThat(fresh.peerIncarnation()).isGreaterThan(old.peerIncarnation());
            assertThat(fresh.linkId())
                    .isNotEqualTo(old.linkId())
                    .isEqualTo(only(restarted).linkId());
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(events)
                            .filteredOn(e -> !(e instanceof PeerEvent.Connected))
                            .singleElement()
                            .isEqualTo(new PeerEvent.Restarted(old, fresh)));
            // the old link is closed, not left half-open
            await().atMost(Duration.ofSeconds(5)).until(() -> survivor.openChannelCount() == 1);
            assertThat(events).noneMatch(e -> e instanceof PeerEvent.Lost || e instanceof PeerEvent.Disconnected);
        }
    }

    private static Connection only(Network n) {
        List<PeerStatus> peers = n.peers();
        assertThat(peers).hasSize(1);
        return peers.get(0).connection();
    }
}
