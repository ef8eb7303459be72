package io.peerlink.protocol.handshake;

import static io.peerlink.protocol.handshake.Peers.accepted;
import static io.peerlink.protocol.handshake.Peers.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.identity.Verifier;
import io.peerlink.proto.v1.SignedAddressRecord;
import io.peerlink.protocol.pex.AddressRecords;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** A validator's Identify carries its own signed address record, checked once its proof verifies. */
class HandshakeRecordTest {
    final Peers p = new Peers();

    Handshake initiatorWith(@Nullable SignedAddressRecord record) {
        LocalPeer me = new LocalPeer(p.a.id(), p.a.publicKey(), Role.VALIDATOR, Peers.address(p.a), p.a, record, 1);
        return new Handshake(
                me,
                Direction.OUTBOUND,
                new Admission(p.trust, Role.VALIDATOR),
                Verifier.ED25519,
                HandshakeSettings.defaults(),
                Peers.RANDOM,
                null);
    }

    static SignedAddressRecord record(NodeIdentity signer, NodeIdentity about, List<PeerAddress> addresses) {
        return AddressRecords.sign(signer, signer.publicKey(), about.id(), addresses, 77);
    }

    Step.Reject responderRejects(@Nullable SignedAddressRecord record, DisconnectReason reason) {
        Step[] done = Peers.run(initiatorWith(record), p.responder(p.b));
        return rejected(done[1], reason);
    }

    @Test
    void ownRecordReachesThePeerInfoVerified() {
        SignedAddressRecord mine = record(p.a, p.a, List.of(Peers.address(p.a)));
        Step[] done = Peers.run(initiatorWith(mine), p.responder(p.b));

        AddressRecords.Verified got = accepted(done[1]).peer().record();
        assertThat(got).isNotNull();
        assertThat(got.signed()).isEqualTo(mine);
        assertThat(got.sequence()).isEqualTo(77);
        assertThat(accepted(done[0]).peer().record().id()).isEqualTo(p.b.id());
    }

    @Test
    void validatorAdvertisingAnAddressWithoutItsRecordIsRefused() {
        assertThat(responderRejects(null, DisconnectReason.MALFORMED_FRAME).detail())
                .contains("without its signed address record");
    }

    @Test
    void recordSignedByAnotherKeyIsRefused() {
        // c signs, with its own key, a record that claims to be about a
        assertThat(responderRejects(record(p.c, p.a, List.of(Peers.address(p.a))), DisconnectReason.ID_MISMATCH)
                        .detail())
                .contains("own address record");
    }

    @Test
    void anotherNodesGenuineRecordIsRefused() {
        assertThat(responderRejects(record(p.c, p.c, List.of(Peers.address(p.a))), DisconnectReason.ID_MISMATCH)
                        .detail())
                .contains("is about " + p.c.id());
    }

    @Test
    void recordThatDoesNotListTheAdvertisedAddressIsRefused() {
        assertThat(responderRejects(
                                record(p.a, p.a, List.of(PeerAddress.parse("10.9.9.9:1"))),
                                DisconnectReason.MALFORMED_FRAME)
                        .detail())
                .contains("does not list the advertised address");
    }
}
