package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerlink.core.Connection;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerStatus;
import io.peerlink.core.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** 16 validators, each knowing a single seed, become one full mesh; observers attach to validators only. */
class MeshIT {
    static final int VALIDATORS = 16;

    private final TestNet net = new TestNet();

    @AfterEach
    void stop() {
        net.close();
    }

    static List<Network> chain(TestNet net, int count) {
        List<Network> validators = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<PeerAddress> seed =
                    i == 0 ? List.of() : List.of(validators.get(i - 1).boundAddress());
            validators.add(net.start(Role.VALIDATOR, seed));
        }
        return validators;
    }

    static void assertFullMesh(List<Network> validators) {
        Map<NodeId, Network> byId = validators.stream().collect(Collectors.toMap(Network::id, Function.identity()));
        for (Network v : validators) {
            List<Connection> toValidators = v.peers().stream()
                    .map(PeerStatus::connection)
                    .filter(c -> c.role() == Role.VALIDATOR)
                    .toList();
            assertThat(toValidators).as("validator links of %s", v.id()).hasSize(validators.size() - 1);
            for (Connection c : toValidators) {
                Network other = byId.get(c.peer());
                assertThat(other).isNotNull();
                Connection back = other.peers().stream()
                        .map(PeerStatus::connection)
                        .filter(x -> x.peer().equals(v.id()))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(other.id() + " has no link back to " + v.id()));
                // both ends agree on the one link: one dialed, the other accepted
                assertThat(back.direction()).isNotEqualTo(c.direction());
            }
            // no duplicate socket is left open beside the authenticated links
            assertThat(v.openChannelCount())
                    .as("open sockets of %s", v.id())
                    .isEqualTo(v.peers().size());
        }
    }

    @Test
    void chainOfSixteenValidatorsConvergesToFullMeshAndObserversAttachToValidatorsOnly() {
        List<Network> validators = chain(net, VALIDATORS);
        Network o1 = net.start(Role.OBSERVER, List.of(validators.get(0).boundAddress()));
        Network o2 = net.start(
                Role.OBSERVER,
                List.of(validators.get(7).boundAddress(), validators.get(12).boundAddress()));

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertFullMesh(validators));
        // attach-to 2 (the default): o1 learns a second validator by peer exchange; o2 has two seeds
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(o1.peers()).hasSize(2);
            assertThat(o2.peers()).hasSize(2);
        });
        assertThat(TestNet.peerIds(o1)).contains(validators.get(0).id());
        assertThat(TestNet.peerIds(o2))
                .contains(validators.get(7).id(), validators.get(12).id());
        for (Network o : List.of(o1, o2)) {
            assertThat(o.peers())
                    .allSatisfy(p -> assertThat(p.connection().role()).isEqualTo(Role.VALIDATOR));
        }
        long observerLinks = validators.stream()
                .flatMap(v -> v.peers().stream())
                .filter(p -> p.connection().role() == Role.OBSERVER)
                .count();
        assertThat(observerLinks).isEqualTo(4);
    }
}
