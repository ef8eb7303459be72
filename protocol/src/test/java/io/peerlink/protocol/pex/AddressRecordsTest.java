package io.peerlink.protocol.pex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.identity.Verifier;
import io.peerlink.proto.v1.AddressRecord;
import io.peerlink.proto.v1.SignedAddressRecord;
import io.peerlink.protocol.pex.AddressRecords.InvalidRecordException;
import io.peerlink.protocol.pex.AddressRecords.Problem;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AddressRecordsTest {
    static final NodeIdentity X = NodeIdentity.generate();
    static final NodeIdentity MALLORY = NodeIdentity.generate();
    static final PeerAddress HOME = PeerAddress.parse("10.0.0.1:7000");
    static final PeerAddress BOGUS = PeerAddress.parse("10.6.6.6:1");

    static SignedAddressRecord own(NodeIdentity who, List<PeerAddress> addresses, long seq) {
        return AddressRecords.sign(who, who.publicKey(), who.id(), addresses, seq);
    }

    static Problem problemOf(SignedAddressRecord r) {
        try {
            AddressRecords.verify(r, Verifier.ED25519);
        } catch (InvalidRecordException e) {
            assertThat(e.getMessage()).isNotBlank();
            return e.problem();
        }
        throw new AssertionError("record verified");
    }

    /** Re-signs {@code record} bytes with {@code signer}'s key, claiming {@code key}. */
    static SignedAddressRecord signedBy(NodeIdentity signer, byte[] key, AddressRecord record) {
        ByteString bytes = record.toByteString();
        return SignedAddressRecord.newBuilder()
                .setPublicKey(ByteString.copyFrom(key))
                .setRecord(bytes)
                .setSignature(ByteString.copyFrom(signer.sign(AddressRecords.signedBytes(bytes))))
                .build();
    }

    static AddressRecord body(NodeIdentity about, String address, long seq) {
        return AddressRecord.newBuilder()
                .setNodeId(ByteString.copyFrom(about.id().toBytes()))
                .addAddresses(address)
                .setSequence(seq)
                .build();
    }

    @Test
    void ownRecordVerifiesWithItsAddressesAndSequence() throws Exception {
        SignedAddressRecord r = own(X, List.of(HOME, PeerAddress.parse("[::1]:7001")), 42);

        AddressRecords.Verified v = AddressRecords.verify(r, Verifier.ED25519);

        assertThat(v.id()).isEqualTo(X.id());
        assertThat(v.addresses()).containsExactly(HOME, PeerAddress.parse("[::1]:7001"));
        assertThat(v.sequence()).isEqualTo(42);
        assertThat(v.signed()).isSameAs(r);
        assertThat(AddressRecords.claimedId(r)).isEqualTo(X.id());
    }

    @Test
    void recordSignedByAnotherKeyIsRefused() {
        // mallory signs a record about X, presenting X's key: the signature is not X's
        assertThat(problemOf(signedBy(MALLORY, X.publicKey(), body(X, BOGUS.toString(), 99))))
                .isEqualTo(Problem.BAD_SIGNATURE);
    }

    @Test
    void recordAboutAnotherNodeThanItsKeyIsRefused() {
        // mallory signs with her own key a record that claims to be about X: the key does not derive X's id
        assertThat(problemOf(signedBy(MALLORY, MALLORY.publicKey(), body(X, BOGUS.toString(), 99))))
                .isEqualTo(Problem.KEY_MISMATCH);
    }

    @Test
    void tamperedAddressOrSequenceBreaksTheSignature() throws Exception {
        SignedAddressRecord genuine = own(X, List.of(HOME), 7);
        AddressRecord parsed = AddressRecord.parseFrom(genuine.getRecord());

        SignedAddressRecord otherAddress = genuine.toBuilder()
                .setRecord(parsed.toBuilder()
                        .setAddresses(0, BOGUS.toString())
                        .build()
                        .toByteString())
                .build();
        SignedAddressRecord newerSequence = genuine.toBuilder()
                .setRecord(parsed.toBuilder().setSequence(8).build().toByteString())
                .build();
        SignedAddressRecord flippedSignature =
                genuine.toBuilder().setSignature(flip(genuine.getSignature())).build();

        assertThat(problemOf(otherAddress)).isEqualTo(Problem.BAD_SIGNATURE);
        assertThat(problemOf(newerSequence)).isEqualTo(Problem.BAD_SIGNATURE);
        assertThat(problemOf(flippedSignature)).isEqualTo(Problem.BAD_SIGNATURE);
    }

    @Test
    void handshakeProofLabelCannotPassForARecordSignature() {
        ByteString bytes = body(X, HOME.toString(), 5).toByteString();
        // the same bytes signed without the record label (as another protocol message might be)
        SignedAddressRecord unlabeled = SignedAddressRecord.newBuilder()
                .setPublicKey(ByteString.copyFrom(X.publicKey()))
                .setRecord(bytes)
                .setSignature(ByteString.copyFrom(X.sign(bytes.toByteArray())))
                .build();

        assertThat(problemOf(unlabeled)).isEqualTo(Problem.BAD_SIGNATURE);
    }

    @Test
    void malformedRecordsAreRefusedBeforeAnySignatureCheck() {
        Verifier mustNotRun = (k, m, s) -> {
            throw new AssertionError("verified a malformed record");
        };
        List<SignedAddressRecord> bad = List.of(
                own(X, List.of(HOME), 1).toBuilder()
                        .setPublicKey(ByteString.copyFrom(new byte[31]))
                        .build(),
                own(X, List.of(HOME), 1).toBuilder()
                        .setRecord(ByteString.copyFrom(new byte[] {(byte) 0xff}))
                        .build(),
                own(X, List.of(HOME), 1).toBuilder()
                        .setRecord(ByteString.copyFrom(new byte[2000]))
                        .build(),
                signedBy(X, X.publicKey(), body(X, HOME.toString(), 0)),
                signedBy(X, X.publicKey(), body(X, "no port", 3)),
                signedBy(X, X.publicKey(), body(X, "10.0.0.1:0", 3)),
                signedBy(
                        X,
                        X.publicKey(),
                        body(X, HOME.toString(), 3).toBuilder().clearAddresses().build()),
                signedBy(
                        X,
                        X.publicKey(),
                        body(X, HOME.toString(), 3).toBuilder()
                                .addAddresses("a:1")
                                .addAddresses("b:1")
                                .addAddresses("c:1")
                                .addAddresses("d:1")
                                .build()),
                signedBy(X, X.publicKey(), body(X, "h".repeat(300) + ":1", 3)));
        for (SignedAddressRecord r : bad) {
            assertThatThrownBy(() -> AddressRecords.verify(r, mustNotRun))
                    .isInstanceOfSatisfying(
                            InvalidRecordException.class,
                            e -> assertThat(e.problem()).isEqualTo(Problem.MALFORMED));
        }
    }

    @Test
    void signChecksItsArguments() {
        assertThatThrownBy(() -> own(X, List.of(), 1)).hasMessage("addresses: 0 (expected: 1..4)");
        assertThatThrownBy(() -> own(X, List.of(HOME), 0)).hasMessage("sequence: 0 (expected: > 0)");
    }

    /**
     * Not an assertion on speed: prints what one verification costs here, the figure behind verifying relayed
     * records on the crypto executor rather than the event loop (docs/reliability.md).
     */
    @Test
    void printsTheCostOfOneVerification() throws Exception {
        SignedAddressRecord r = own(X, List.of(HOME), 1);
        for (int i = 0; i < 200; i++) {
            AddressRecords.verify(r, Verifier.ED25519);
        }
        int n = 500;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            AddressRecords.verify(r, Verifier.ED25519);
        }
        long each = (System.nanoTime() - start) / n;
        System.out.printf(
                "address record verification: %d µs each; a full answer of 256 records: %d ms%n",
                TimeUnit.NANOSECONDS.toMicros(each), TimeUnit.NANOSECONDS.toMillis(each * 256));
        assertThat(each).isPositive();
    }

    private static ByteString flip(ByteString b) {
        byte[] bytes = b.toByteArray();
        bytes[0] ^= 1;
        return ByteString.copyFrom(bytes);
    }
}
