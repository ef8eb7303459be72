package io.peerlink.protocol.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.Role;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.trust.InMemoryTrustRegistry;
import io.peerlink.core.trust.TrustChange;
import io.peerlink.protocol.handshake.PeerInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConnectionManagerTest {
    static final long MS = 1_000_000L;

    static NodeId id(int b) {
        byte[] bytes = new byte[20];
        bytes[0] = (byte) b;
        return NodeId.of(bytes);
    }

    final NodeId me = id(10);
    final NodeId v1 = id(20);
    final NodeId v2 = id(5);
    final NodeId obs = id(30);
    final PeerAddress a1 = PeerAddress.parse("v1:7000");
    final PeerAddress a1alt = PeerAddress.parse("v1-alt:7000");
    final PeerAddress a2 = PeerAddress.parse("v2:7000");
    final InMemoryTrustRegistry trust = new InMemoryTrustRegistry(
            Map.of(me, Role.VALIDATOR, v1, Role.VALIDATOR, v2, Role.VALIDATOR, obs, Role.OBSERVER));

    ConnectionManager manager(List<PeerAddress> seeds) {
        NodeConfig c = NodeConfig.builder()
                .role(Role.VALIDATOR)
                .advertise(PeerAddress.parse("me:7000"))
                .seeds(seeds)
                .build();
        return new ConnectionManager(ManagerSettings.of(me, c, null, Instant.EPOCH), trust, new SplittableRandom(1));
    }

    static <T> List<T> of(List<ManagerAction> actions, Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void startDialsSeedsAndSchedulesTheTick() {
        ConnectionManager m = manager(List.of(a1, a2));
        List<ManagerAction> out = m.handle(new ManagerEvent.Start(), 0);
        assertThat(of(out, ManagerAction.Dial.class))
                .extracting(ManagerAction.Dial::address)
                .containsExactly(a1, a2);
        assertThat(of(out, ManagerAction.Schedule.class))
                .anySatisfy(s -> assertThat(s.timer()).isEqualTo(Timer.TICK));
    }

    @Test
    void planRefusesSelfAndJoinsByIdUnderAnotherAddress() {
        ConnectionManager m = manager(List.of());
        m.handle(new ManagerEvent.Start(), 0);
        assertThat(m.plan(PeerAddress.parse("me:7000"), null)).isInstanceOf(DialPlan.Refuse.class);
        assertThat(m.plan(a1, me)).isInstanceOf(DialPlan.Refuse.class);
        assertThat(m.plan(a1, v1)).isEqualTo(new DialPlan.Start(new DialKey.ById(v1)));
        List<ManagerAction> out = m.handle(new ManagerEvent.DialRequested(a1, v1), 1);
        long dialId = of(out, ManagerAction.Dial.class).get(0).dialId();
        // the same node under its other address shares the dial (one key: the id)
        assertThat(m.plan(a1alt, v1)).isEqualTo(new DialPlan.Join(dialId, new DialKey.ById(v1)));
        assertThat(of(m.handle(new ManagerEvent.DialRequested(a1alt, v1), 2), ManagerAction.Dial.class))
                .isEmpty();
    }

    @Test
    void observersAreNeverDialed() {
        ConnectionManager m = manager(List.of());
        assertThat(m.plan(PeerAddress.parse("o:1"), obs)).isInstanceOf(DialPlan.Refuse.class);
    }

    /** Dial a1 expecting v1 and authenticate it; returns the link id. */
    long link(ConnectionManager m, NodeId peer, PeerAddress at, long linkId, long now) {
        List<ManagerAction> out = m.handle(new ManagerEvent.DialRequested(at, peer), now);
        long dialId = of(out, ManagerAction.Dial.class).get(0).dialId();
        m.handle(new ManagerEvent.Connected(linkId, dialId, Direction.OUTBOUND, at), now + 1);
        List<ManagerAction> acc =
                m.handle(new ManagerEvent.HandshakeAccepted(linkId, new PeerInfo(peer, Role.VALIDATOR, at)), now + 2);
        assertThat(of(acc, ManagerAction.Publish.class))
                .anySatisfy(p -> assertThat(p.event()).isInstanceOf(PeerEvent.Connected.class));
        return linkId;
    }

    @Test
    void existingLinkAnswersADial() {
        ConnectionManager m = manager(List.of());
        m.handle(new ManagerEvent.Start(), 0);
        link(m, v1, a1, 7, 10);
        assertThat(m.plan(a1alt, v1)).isEqualTo(new DialPlan.Existing(v1, 7));
        assertThat(m.linkCount()).isEqualTo(1);
    }

    @Test
    void simultaneousOpenKeepsThePreferredDirection() {
        ConnectionManager m = manager(List.of());
        m.handle(new ManagerEvent.Start(), 0);
        link(m, v1, a1, 7, 10); // me (10) < v1 (20): my outbound link wins
        m.handle(new ManagerEvent.Connected(8, ManagerEvent.Connected.NO_DIAL, Direction.INBOUND, a1), 20);
        List<ManagerAction> out =
                m.handle(new ManagerEvent.HandshakeAccepted(8, new PeerInfo(v1, Role.VALIDATOR, a1)), 21);
        assertThat(of(out, ManagerAction.Close.class))
                .containsExactly(new ManagerAction.Close(
                        8, DisconnectReason.DUPLICATE, "a link between these nodes already exists"));
        assertThat(m.linkOf(v1)).isEqualTo(7);
    }

    @Test
    void newerIncarnationTakesOverAtOnceWhoeverDialed() {
        ConnectionManager m = manager(List.of());
        m.handle(new ManagerEvent.Start(), 0);
        link(m, v1, a1, 7, 10); // my outbound link, the preferred one, to v1's boot 0 (now half-dead, say)
        m.handle(new ManagerEvent.Connected(8, ManagerEvent.Connected.NO_DIAL, Direction.INBOUND, a1), 20);
        PeerInfo rebooted = new PeerInfo(v1, Role.VALIDATOR, a1, null, 5, "");
        List<ManagerAction> out = m.handle(new ManagerEvent.HandshakeAccepted(8, rebooted), 21);
        assertThat(of(out, ManagerAction.Close.class))
                .containsExactly(new ManagerAction.Close(
                        7, DisconnectReason.DUPLICATE, "the peer restarted (newer boot incarnation)"));
        List<PeerEvent> events = of(out, ManagerAction.Publish.class).stream()
                .map(ManagerAction.Publish::event)
                .toList();
        assertThat(events).singleElement().isInstanceOfSatisfying(PeerEvent.Restarted.class, r -> {
            assertThat(r.previous().direction()).isEqualTo(Direction.OUTBOUND);
            assertThat(r.current().direction()).isEqualTo(Direction.INBOUND);
        });
        assertThat(m.linkOf(v1)).isEqualTo(8);
        assertThat(m.linkCount()).isEqualTo(1);
        // a late handshake of the previous boot (older incarnation) never displaces the new boot's link, even in
        // the same direction, where the tie-break would keep the newer link (found by the simulator)
        m.handle(new ManagerEvent.Connected(9, ManagerEvent.Connected.NO_DIAL, Direction.INBOUND, a1), 30);
        out = m.handle(new ManagerEvent.HandshakeAccepted(9, new PeerInfo(v1, Role.VALIDATOR, a1, null, 4, "")), 31);
        assertThat(of(out, ManagerAction.Close.class))
                .containsExactly(new ManagerAction.Close(
                        9, DisconnectReason.DUPLICATE, "a link between these nodes already exists"));
        assertThat(m.linkOf(v1)).isEqualTo(8);
    }

    @Test
    void managerAndTransportApplyOneTakeoverRule() {
        // property: the manager's form of ConnectionTable.decide (preferred direction given) agrees with the table's
        Direction[] dirs = Direction.values();
        qt().forAll(
                        integers().between(0, 255),
                        integers().between(0, 255),
                        integers().between(0, 15))
                .assuming((x, y, bits) -> !x.equals(y))
                .check((x, y, bits) -> {
                    Direction existing = dirs[bits & 1];
                    Direction candidate = dirs[(bits >> 1) & 1];
                    long existingInc = (bits >> 2) & 1;
                    long candidateInc = (bits >> 3) & 1;
                    return io.peerlink.protocol.dedup.ConnectionTable.decide(
                                    Rules.STANDARD.preferredDirection(id(x), id(y)),
                                    existing,
                                    existingInc,
                                    candidate,
                                    candidateInc)
                            == io.peerlink.protocol.dedup.ConnectionTable.decide(
                                    id(x), id(y), existing, existingInc, candidate, candidateInc);
                });
    }

    @Test
    void bothEndsOfASimultaneousOpenKeepTheSameLink() {
        // property: for any two distinct ids, the direction each end prefers names the same link
        qt().forAll(integers().between(0, 255), integers().between(0, 255))
                .assuming((x, y) -> !x.equals(y))
                .check((x, y) -> {
                    Direction fromX = Rules.STANDARD.preferredDirection(id(x), id(y));
                    Direction fromY = Rules.STANDARD.preferredDirection(id(y), id(x));
                    return fromX != fromY; // X's outbound is Y's inbound: the same link
                });
    }

    @Test
    void lostLinkIsPublishedAndRedialedOnTheNextTick() {
        ConnectionManager m = manager(List.of());
        m.handle(new ManagerEvent.Start(), 0);
        link(m, v1, a1, 7, 10);
        List<ManagerAction> out = m.handle(
                new ManagerEvent.LinkLost(7, DisconnectReason.HEARTBEAT_TIMEOUT, "heartbeats missed", false), 100);
        assertThat(of(out, ManagerAction.Publish.class))
                .singleElement()
                .satisfies(p -> assertThat(p.event()).isInstanceOf(PeerEvent.Lost.class));
        assertThat(m.isLinked(v1)).isFalse();
        List<ManagerAction> tick = m.handle(new ManagerEvent.TimerFired(Timer.TICK), 1000 * MS);
        assertThat(of(tick, ManagerAction.Dial.class))
                .extracting(ManagerAction.Dial::expected)
                .containsExactly(v1);
        // the redial authenticates: its slot is freed only once the link is registered, so nothing dials v1 again
        long dialId = of(tick, ManagerAction.Dial.class).get(0).dialId();
        m.handle(new ManagerEvent.Connected(9, dialId, Direction.OUTBOUND, a1), 1001 * MS);
        List<ManagerAction> accepted =
                m.handle(new ManagerEvent.HandshakeAccepted(9, new PeerInfo(v1, Role.VALIDATOR, a1)), 1002 * MS);
        assertThat(of(accepted, ManagerAction.Dial.class)).isEmpty();
        assertThat(m.dialCount()).isZero();
        assertThat(m.linkOf(v1)).isEqualTo(9);
    }

    @Test
    void failedAttemptsBackOffThenGiveUpAndCoolDown() {
        ConnectionManager m = manager(List.of());
        m.handle(new ManagerEvent.Start(), 0);
        long dialId = of(m.handle(new ManagerEvent.DialRequested(a1, v1), 0), ManagerAction.Dial.class)
                .get(0)
                .dialId();
        long now = 0;
        long previousWait = 0;
        for (int attempt = 1; attempt < 8; attempt++) {
            List<ManagerAction> out = m.handle(new ManagerEvent.ConnectFailed(dialId, "refused"), now);
            ManagerAction.Schedule s = of(out, ManagerAction.Schedule.class).get(0);
            long wait = s.atNanos() - now;
            assertThat(wait).isBetween(100 * MS, 10_000 * MS);
            if (attempt > 2) {
                assertThat(wait).isGreaterThanOrEqualTo(previousWait / 3);
            }
            previousWait = wait;
            now = s.atNanos();
            assertThat(of(m.handle(new ManagerEvent.TimerFired(s.timer()), now), ManagerAction.Dial.class))
                    .hasSize(1);
        }
        List<ManagerAction> last = m.handle(new ManagerEvent.ConnectFailed(dialId, "refused"), now);
        assertThat(of(last, ManagerAction.Publish.class))
                .singleElement()
                .satisfies(p -> assertThat(p.event()).isInstanceOf(PeerEvent.DialFailed.class));
        assertThat(m.dialCount()).isZero();
        assertThat(m.cooldownCount()).isEqualTo(1);
    }

    @Test
    void revokedPeerIsClosedAndStopsCountingAtOnce() {
        ConnectionManager m = manager(List.of());
        m.handle(new ManagerEvent.Start(), 0);
        link(m, v1, a1, 7, 10);
        trust.revoke(v1);
        List<ManagerAction> out =
                m.handle(new ManagerEvent.TrustChanged(new TrustChange(v1, Role.VALIDATOR, null)), 50);
        assertThat(of(out, ManagerAction.Close.class))
                .extracting(ManagerAction.Close::reason)
                .containsExactly(DisconnectReason.REVOKED);
        assertThat(m.isLinked(v1)).isFalse();
        assertThat(m.knownValidators()).doesNotContain(v1);
    }

    @Test
    void duplicateCloseByThePeerIsHeldBackThenPublished() {
        ConnectionManager m = manager(List.of());
        m.handle(new ManagerEvent.Start(), 0);
        link(m, v1, a1, 7, 10);
        List<ManagerAction> out =
                m.handle(new ManagerEvent.LinkLost(7, DisconnectReason.DUPLICATE, "replaced", true), 100);
        assertThat(of(out, ManagerAction.Publish.class)).isEmpty();
        ManagerAction.Schedule s = of(out, ManagerAction.Schedule.class).get(0);
        List<ManagerAction> later = m.handle(new ManagerEvent.TimerFired(s.timer()), s.atNanos());
        assertThat(of(later, ManagerAction.Publish.class))
                .singleElement()
                .satisfies(p -> assertThat(p.event()).isInstanceOf(PeerEvent.Disconnected.class));
    }

    @Test
    void linkDeadDuringTheHandshakeIsRetried() {
        ConnectionManager m = manager(List.of());
        m.handle(new ManagerEvent.Start(), 0);
        long dialId = of(m.handle(new ManagerEvent.DialRequested(a1, v1), 0), ManagerAction.Dial.class)
                .get(0)
                .dialId();
        m.handle(new ManagerEvent.Connected(3, dialId, Direction.OUTBOUND, a1), 1);
        List<ManagerAction> out =
                m.handle(new ManagerEvent.LinkLost(3, DisconnectReason.CONNECTION_CLOSED, "closed", false), 2);
        assertThat(of(out, ManagerAction.Schedule.class))
                .anySatisfy(s -> assertThat(s.timer()).isInstanceOf(Timer.Retry.class));
        assertThat(m.dialCount()).isEqualTo(1);
    }

    @Test
    void peerExchangeAnswerDialsNewValidatorsOnce() {
        ConnectionManager m = manager(List.of());
        m.handle(new ManagerEvent.Start(), 0);
        link(m, v1, a1, 7, 10);
        List<ManagerAction> req = m.handle(new ManagerEvent.PexRequested(7), 20);
        assertThat(of(req, ManagerAction.SendPexAnswer.class)).singleElement().satisfies(a -> {
            assertThat(a.to()).isEqualTo(v1);
            assertThat(a.announcement()).isFalse();
        });
    }

    @Test
    void peerExchangeOverTheRequestRateIsAbuseAndBans() {
        ConnectionManager m = manager(List.of());
        m.handle(new ManagerEvent.Start(), 0);
        link(m, v1, a1, 7, 10);
        List<ManagerAction> last = List.of();
        for (int i = 0; i < 200 && of(last, ManagerAction.Close.class).isEmpty(); i++) {
            last = m.handle(new ManagerEvent.PexRequested(7), 20 + i);
        }
        assertThat(of(last, ManagerAction.Close.class))
                .extracting(ManagerAction.Close::reason)
                .containsExactly(DisconnectReason.PEX_ABUSE);
        assertThat(m.isLinked(v1)).isFalse();
        assertThat(m.plan(a1, v1)).isInstanceOf(DialPlan.Refuse.class);
    }

    @Test
    void unsolicitedAnswerIsAbuse() {
        ConnectionManager m = manager(List.of());
        m.handle(new ManagerEvent.Start(), 0);
        link(m, v1, a1, 7, 10);
        // the request the manager sent on linking is owed one answer; a second one was never asked for
        assertThat(of(
                        m.handle(new ManagerEvent.PexAnswered(7, List.of(), 0, 10, false), 20),
                        ManagerAction.Close.class))
                .isEmpty();
        assertThat(of(
                        m.handle(new ManagerEvent.PexAnswered(7, List.of(), 0, 10, false), 30),
                        ManagerAction.Close.class))
                .extracting(ManagerAction.Close::reason)
                .containsExactly(DisconnectReason.PEX_ABUSE);
    }

    @Test
    void rejectedHandshakeOfADialIsRetriedWhenRetryableAndPublished() {
        ConnectionManager m = manager(List.of());
        m.handle(new ManagerEvent.Start(), 0);
        long dialId = of(m.handle(new ManagerEvent.DialRequested(a1, v1), 0), ManagerAction.Dial.class)
                .get(0)
                .dialId();
        m.handle(new ManagerEvent.Connected(3, dialId, Direction.OUTBOUND, a1), 1);
        List<ManagerAction> out = m.handle(
                new ManagerEvent.HandshakeRejected(3, DisconnectReason.UNKNOWN_PEER, "not trusted", true, v1), 2);
        // not retryable: given up at once, the address cools down, both events published
        assertThat(of(out, ManagerAction.Publish.class))
                .extracting(p -> p.event().getClass().getSimpleName())
                .containsExactly("Rejected", "DialFailed");
        assertThat(m.dialCount()).isZero();
    }
}
