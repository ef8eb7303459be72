package io.peerlink.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerlink.core.Role;
import io.peerlink.core.identity.NodeIdentity;
import org.junit.jupiter.api.Test;

class HandshakeWarmupTest {
    @Test
    void completesAHandshakeForEveryRole() {
        NodeIdentity me = NodeIdentity.generate();
        for (Role role : Role.values()) {
            assertThat(HandshakeWarmup.run(LocalPeer.of(me, role, null), HandshakeSettings.defaults()))
                    .as("as %s", role)
                    .isTrue();
        }
    }

    @Test
    void reportsABrokenHandshake() {
        // a signer that signs garbage: the throwaway responder refuses the proof
        NodeIdentity me = NodeIdentity.generate();
        LocalPeer liar = new LocalPeer(me.id(), me.publicKey(), Role.VALIDATOR, null, message -> new byte[64], null, 1);
        assertThat(HandshakeWarmup.run(liar, HandshakeSettings.defaults())).isFalse();
    }
}
