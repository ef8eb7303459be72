package io.peerlink.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.HandshakeException;
import io.peerlink.core.NodeId;
import io.peerlink.core.Role;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.InMemoryTrustRegistry;
import io.peerlink.core.trust.TrustChange;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Admission#validatorsOnly}: the admission of the handshake slots a node keeps for trusted validators. */
class AdmissionTest {
    final NodeId validator = NodeIdentity.generate().id();
    final NodeId observer = NodeIdentity.generate().id();
    final NodeId stranger = NodeIdentity.generate().id();
    final InMemoryTrustRegistry trust =
            new InMemoryTrustRegistry(Map.of(validator, Role.VALIDATOR, observer, Role.OBSERVER));
    final BanList bans = new BanList(Duration.ofMinutes(1), System::nanoTime);
    final Admission admission = new Admission(trust, Role.VALIDATOR, bans);
    final Admission reserved = admission.validatorsOnly("kept for validators");

    @Test
    void reservedSlotsAdmitTrustedValidatorsOnly() {
        assertThat(reserved.admit(validator, Role.VALIDATOR, Direction.INBOUND)).isEqualTo(Role.VALIDATOR);
        assertThat(admission.admit(observer, Role.OBSERVER, Direction.INBOUND)).isEqualTo(Role.OBSERVER);

        assertThatThrownBy(() -> reserved.admit(observer, Role.OBSERVER, Direction.INBOUND))
                .isInstanceOfSatisfying(HandshakeException.class, e -> {
                    assertThat(e.reason()).isEqualTo(DisconnectReason.TOO_MANY_CONNECTIONS);
                    assertThat(e.detail()).isEqualTo("kept for validators");
                });
        assertThatThrownBy(() -> reserved.admit(observer, Role.VALIDATOR, Direction.INBOUND))
                .as("an observer claiming to be a validator")
                .isInstanceOfSatisfying(
                        HandshakeException.class,
                        e -> assertThat(e.reason()).isEqualTo(DisconnectReason.TOO_MANY_CONNECTIONS));
        assertThatThrownBy(() -> reserved.admit(stranger, Role.VALIDATOR, Direction.INBOUND))
                .isInstanceOfSatisfying(
                        HandshakeException.class, e -> assertThat(e.reason()).isEqualTo(DisconnectReason.UNKNOWN_PEER));
    }

    @Test
    void reservedSlotsShareBansAndRevocations() {
        bans.ban(validator);
        assertThatThrownBy(() -> reserved.admit(validator, Role.VALIDATOR, Direction.INBOUND))
                .isInstanceOfSatisfying(
                        HandshakeException.class, e -> assertThat(e.reason()).isEqualTo(DisconnectReason.BANNED));
        bans.unban(validator);

        trust.revoke(validator);
        admission.onTrustChange(new TrustChange(validator, Role.VALIDATOR, null));
        assertThatThrownBy(() -> reserved.admit(validator, Role.VALIDATOR, Direction.INBOUND))
                .as("the revocation told to the full admission")
                .isInstanceOfSatisfying(
                        HandshakeException.class, e -> assertThat(e.reason()).isEqualTo(DisconnectReason.REVOKED));
    }
}
