package io.peerlink.protocol.dial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.protocol.dial.DialTargets.Links;
import io.peerlink.protocol.dial.DialTargets.Verdict;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DialTargetsTest {

    static final NodeId ME = NodeId.parse("pl" + "01".repeat(20));
    static final NodeId PEER = NodeId.parse("pl" + "02".repeat(20));
    static final PeerAddress MY_ADDRESS = PeerAddress.parse("10.0.0.1:7000");
    static final PeerAddress PEER_ADDRESS = PeerAddress.parse("10.0.0.2:7000");

    final DialTargets validator = new DialTargets(ME, Role.VALIDATOR, MY_ADDRESS);

    @Test
    void dialsAnUnconnectedValidator() {
        Verdict v = validator.decide(PEER_ADDRESS, PEER, Role.VALIDATOR, Links.none());
        assertThat(v).isEqualTo(Verdict.DIAL);
        assertThat(v.dial()).isTrue();
    }

    @Test
    void dialsASeedWhoseIdAndRoleAreUnknown() {
        assertThat(validator.decide(PEER_ADDRESS, null, null, Links.none())).isEqualTo(Verdict.DIAL);
    }

    @Test
    void neverDialsItself() {
        assertThat(validator.decide(PEER_ADDRESS, ME, Role.VALIDATOR, Links.none()))
                .isEqualTo(Verdict.SELF);
        assertThat(validator.decide(MY_ADDRESS, null, null, Links.none())).isEqualTo(Verdict.OWN_ADDRESS);
        assertThat(validator.decide(MY_ADDRESS, PEER, Role.VALIDATOR, Links.none()))
                .isEqualTo(Verdict.OWN_ADDRESS);
        assertThat(Verdict.SELF.dial()).isFalse();
    }

    @Test
    void nodeWithoutAnAdvertisedAddressDialsAnyAddress() {
        DialTargets noAddress = new DialTargets(ME, Role.VALIDATOR, null);
        assertThat(noAddress.decide(MY_ADDRESS, PEER, Role.VALIDATOR, Links.none()))
                .isEqualTo(Verdict.DIAL);
    }

    @Test
    void neverDialsAConnectedPeer() {
        Links links = Links.of(Set.of(PEER), Set.of(), Set.of());
        assertThat(validator.decide(PEER_ADDRESS, PEER, Role.VALIDATOR, links)).isEqualTo(Verdict.CONNECTED);
        assertThat(validator.decide(PEER_ADDRESS, null, null, links))
                .as("an address alone cannot tell")
                .isEqualTo(Verdict.DIAL);
        Links byAddress = Links.of(Set.of(PEER), Set.of(PEER_ADDRESS), Set.of(), Set.of());
        assertThat(validator.decide(PEER_ADDRESS, null, null, byAddress))
                .as("unless a link to that address exists")
                .isEqualTo(Verdict.CONNECTED);
    }

    @Test
    void neverDialsWhatIsAlreadyBeingDialed() {
        Links byId = Links.of(Set.of(), Set.of(PEER), Set.of());
        Links byAddress = Links.of(Set.of(), Set.of(), Set.of(PEER_ADDRESS));

        assertThat(validator.decide(PEER_ADDRESS, PEER, Role.VALIDATOR, byId)).isEqualTo(Verdict.IN_FLIGHT);
        assertThat(validator.decide(PeerAddress.parse("10.0.0.3:7000"), PEER, Role.VALIDATOR, byId))
                .isEqualTo(Verdict.IN_FLIGHT);
        assertThat(validator.decide(PEER_ADDRESS, null, null, byAddress)).isEqualTo(Verdict.IN_FLIGHT);
        assertThat(validator.decide(PEER_ADDRESS, PEER, Role.VALIDATOR, byAddress))
                .isEqualTo(Verdict.IN_FLIGHT);
    }

    @Test
    void everyoneDialsValidatorsOnly() {
        for (Role self : Role.values()) {
            DialTargets targets = new DialTargets(ME, self, MY_ADDRESS);
            assertThat(targets.decide(PEER_ADDRESS, PEER, Role.VALIDATOR, Links.none()))
                    .isEqualTo(Verdict.DIAL);
            assertThat(targets.decide(PEER_ADDRESS, PEER, Role.GATEWAY, Links.none()))
                    .isEqualTo(Verdict.ROLE_NOT_ALLOWED);
            assertThat(targets.decide(PEER_ADDRESS, PEER, Role.OBSERVER, Links.none()))
                    .isEqualTo(Verdict.ROLE_NOT_ALLOWED);
        }
    }

    @Test
    void checksArguments() {
        assertThatThrownBy(() -> new DialTargets(null, Role.VALIDATOR, null)).hasMessage("self");
        assertThatThrownBy(() -> validator.decide(null, PEER, null, Links.none()))
                .hasMessage("address");
        assertThatThrownBy(() -> validator.decide(PEER_ADDRESS, PEER, null, null))
                .hasMessage("links");
    }
}
