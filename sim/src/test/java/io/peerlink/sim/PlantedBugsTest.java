package io.peerlink.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerlink.core.Direction;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.protocol.manager.DialKey;
import io.peerlink.protocol.manager.ManagerSettings;
import io.peerlink.protocol.manager.Rules;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Three connection-management bugs, planted through the manager's {@link Rules}, each found by the simulator
 * within a few seeds, with its fault schedule shrunk (docs/simulation.md records the output).
 */
class PlantedBugsTest {
    static final int MAX_SEEDS = 40;

    /** (a) Each end orders the pair with itself first: both prefer their own dial in a simultaneous open. */
    static final Rules OWN_DIAL_WINS = new Rules() {
        @Override
        public Direction preferredDirection(NodeId local, NodeId remote) {
            return Direction.OUTBOUND;
        }
    };

    /** (b) Dials are shared by address only: one node under two addresses gets two connections. */
    static final Rules DEDUP_BY_ADDRESS = new Rules() {
        @Override
        public DialKey dialKey(PeerAddress address, @Nullable NodeId expected) {
            return new DialKey.ByAddress(address);
        }
    };

    /** (c) A dial whose link closed during the handshake is dropped, and its target never dialed again. */
    static final Rules NO_REDIAL_AFTER_HANDSHAKE_LOSS = new Rules() {
        @Override
        public boolean redialAfterHandshakeLoss() {
            return false;
        }
    };

    static final Rules NO_RESTART_TAKEOVER = new Rules() {
        @Override
        public boolean takeOverRestarts() {
            return false;
        }
    };

    /** Gateways and observers keep their seeds only: with three seeds each, none reaches attach-to 4. */
    static final Rules NO_ATTACHMENTS = new Rules() {
        @Override
        public boolean keepAttachments() {
            return false;
        }
    };

    static SimOptions options(long seed, Rules rules) {
        return builder(seed, rules).build();
    }

    static SimOptions.Builder builder(long seed, Rules rules) {
        return SimOptions.builder()
                .validators(12)
                .nodes(40)
                .duration(Duration.ofMinutes(4))
                .meshBound(Duration.ofSeconds(150))
                .seed(seed)
                .rules(rules);
    }

    private static void found(String bug, Rules rules, String invariant) {
        found(bug, rules, invariant, ManagerSettings.DEFAULT_ATTACH_TO);
    }

    private static void found(String bug, Rules rules, String invariant, int attachTo) {
        for (long seed = 1; seed <= MAX_SEEDS; seed++) {
            SimOptions o = builder(seed, rules).attachTo(attachTo).build();
            SimResult r = new Simulation(o).run();
            if (r.violation() != null) {
                assertThat(r.violation().invariant())
                        .as(r.violation().toString())
                        .isEqualTo(invariant);
                List<Fault> shrunk = Shrinker.shrink(o, r.schedule(), invariant);
                System.out.println("bug " + bug + ": found at seed " + seed + " (" + r.summary() + ") "
                        + r.violation().detail() + "; schedule " + r.schedule().size() + " faults, shrunk to "
                        + shrunk);
                assertThat(Shrinker.fails(o, shrunk, invariant)).isTrue();
                return;
            }
        }
        throw new AssertionError("bug " + bug + " not found within " + MAX_SEEDS + " seeds");
    }

    @Test
    void gatewaysAndObserversThatKeepOnlyTheirSeeds() {
        found("e", NO_ATTACHMENTS, "attached", 4);
    }

    @Test
    void tieBreakThatOrdersIdsDifferentlyOnTheTwoEnds() {
        found("a", OWN_DIAL_WINS, "tie-break-agreement");
    }

    @Test
    void dialDedupKeyedByAddressOnly() {
        found("b", DEDUP_BY_ADDRESS, "one-dial-per-peer");
    }

    @Test
    void restartedPeerNotTakenOverWhileTheOldLinkIsHalfDead() {
        found("d", NO_RESTART_TAKEOVER, "restart-takeover");
    }

    @Test
    void noRedialAfterALinkDiedDuringTheHandshake() {
        found("c", NO_REDIAL_AFTER_HANDSHAKE_LOSS, "mesh-complete");
    }
}
