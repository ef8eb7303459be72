package io.peerlink.protocol.pex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.identity.Verifier;
import io.peerlink.core.trust.InMemoryTrustRegistry;
import io.peerlink.proto.v1.PeerExchangeRequest;
import io.peerlink.proto.v1.PeerExchangeResponse;
import io.peerlink.proto.v1.SignedAddressRecord;
import io.peerlink.protocol.pex.PeerExchange.Candidate;
import io.peerlink.protocol.pex.PeerExchange.Known;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerExchangeTest {
    @Test
    void exactlyOneOfAPairDialsFirstAndTheDialingIsSpreadEvenly() {
        List<NodeId> ids = new ArrayList<>();
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 64; i++) {
            byte[] b = new byte[NodeId.LENGTH_BYTES];
            random.nextBytes(b);
            ids.add(NodeId.of(b));
        }
        int[] dials = new int[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            for (int j = 0; j < ids.size(); j++) {
                if (i != j) {
                    boolean ij = PeerExchange.dialsFirst(ids.get(i), ids.get(j));
                    assertThat(ij).isNotEqualTo(PeerExchange.dialsFirst(ids.get(j), ids.get(i)));
                    if (ij) {
                        dials[i]++;
                    }
                }
            }
        }
        // with "the smaller id dials" one node would dial 63 and another none
        assertThat(java.util.Arrays.stream(dials).max().getAsInt()).isLessThan(48);
        assertThat(java.util.Arrays.stream(dials).min().getAsInt()).isGreaterThan(15);
        assertThatThrownBy(() -> PeerExchange.dialsFirst(ids.get(0), ids.get(0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static final Map<Integer, NodeIdentity> KEYS = new java.util.concurrent.ConcurrentHashMap<>();
    static final NodeId ME = id(1);
    static final NodeId ASKER = id(2);

    final Map<NodeId, Role> table = new HashMap<>();
    InMemoryTrustRegistry trust;

    static NodeIdentity key(int n) {
        return KEYS.computeIfAbsent(n, k -> NodeIdentity.generate());
    }

    static NodeId id(int n) {
        return key(n).id();
    }

    static PeerAddress address(int n) {
        return new PeerAddress("10.0." + (n >> 8) + "." + (n & 0xff), 7000);
    }

    static SignedAddressRecord record(int n) {
        return AddressRecords.sign(key(n), key(n).publicKey(), id(n), List.of(address(n)), 1000 + n);
    }

    static Known validator(int n) {
        return new Known(id(n), Role.VALIDATOR, record(n), true);
    }

    PeerExchange pex(int maxEntries) {
        trust = new InMemoryTrustRegistry(table);
        return new PeerExchange(ME, trust, maxEntries);
    }

    @Test
    void requestAsksForOurBound() {
        assertThat(pex(16).request().getMaxEntries()).isEqualTo(16);
        assertThat(pex(16).maxEntries()).isEqualTo(16);
    }

    @Test
    void answerRelaysOnlyAuthenticatedValidatorsRecordsVerbatim() {
        List<Known> known = List.of(
                validator(10),
                new Known(id(11), Role.OBSERVER, record(11), true),
                new Known(id(12), Role.GATEWAY, record(12), true),
                new Known(id(13), Role.VALIDATOR, null, true),
                new Known(id(14), Role.VALIDATOR, record(14), false),
                validator(10),
                validator(16));

        PeerExchangeResponse answer = PeerExchange.answer(known, 10);

        assertThat(answer.getRecordsList()).containsExactly(record(10), record(16));
        assertThat(answer.getRecords(0).toByteString()).isEqualTo(record(10).toByteString());
    }

    @Test
    void answerIsBoundedByOursAndByTheRequest() {
        List<Known> known = new ArrayList<>();
        for (int i = 10; i < 40; i++) {
            known.add(validator(i));
        }
        PeerExchange pex = pex(8);

        assertThat(pex.answer(
                                known,
                                PeerExchangeRequest.newBuilder()
                                        .setMaxEntries(3)
                                        .build(),
                                ASKER)
                        .getRecordsCount())
                .isEqualTo(3);
        assertThat(pex.answer(
                                known,
                                PeerExchangeRequest.newBuilder()
                                        .setMaxEntries(100)
                                        .build(),
                                ASKER)
                        .getRecordsCount())
                .isEqualTo(8);
        assertThat(pex.answer(known, PeerExchangeRequest.getDefaultInstance(), ASKER)
                        .getRecordsCount())
                .as("0 means: use ours")
                .isEqualTo(8);
        assertThat(pex.answer(
                                known,
                                PeerExchangeRequest.newBuilder()
                                        .setMaxEntries(-1)
                                        .build(),
                                ASKER)
                        .getRecordsCount())
                .as("uint32 max, not -1")
                .isEqualTo(8);
        assertThat(pex(0).answer(known, PeerExchangeRequest.getDefaultInstance(), ASKER)
                        .getRecordsCount())
                .isZero();
        assertThat(PeerExchange.answer(known, 0).getRecordsCount()).isZero();
    }

    @Test
    void answerStaysWithinTheByteLimitAPeerConfiguredAlikeAccepts() {
        List<Known> known = new ArrayList<>();
        for (int i = 10; i < 40; i++) {
            known.add(validator(i));
        }
        int one = PeerExchange.answer(known, 1).getSerializedSize();
        PeerExchange pex = new PeerExchange(ME, new InMemoryTrustRegistry(table), 256, one * 5);

        PeerExchangeResponse answer = pex.answer(known, PeerExchangeRequest.getDefaultInstance(), ASKER);

        assertThat(answer.getSerializedSize()).isLessThanOrEqualTo(one * 5);
        assertThat(answer.getRecordsCount()).isEqualTo(5);
    }

    @Test
    void answerNeverListsTheRequesterOrThisNode() {
        List<Known> known = List.of(
                new Known(ASKER, Role.VALIDATOR, record(2), true),
                new Known(ME, Role.VALIDATOR, record(1), true),
                validator(10));

        PeerExchangeResponse answer = pex(8).answer(known, PeerExchangeRequest.getDefaultInstance(), ASKER);

        assertThat(answer.getRecordsList()).containsExactly(record(10));
    }

    @Test
    void verifiesOnlyRecordsOfTrustedValidatorsNotHeldAlready() {
        table.put(id(10), Role.VALIDATOR);
        table.put(id(11), Role.VALIDATOR);
        PeerExchangeResponse response = PeerExchangeResponse.newBuilder()
                .addRecords(record(10))
                .addRecords(record(11))
                .build();

        List<Candidate> next = pex(8).toVerify(ASKER, Role.VALIDATOR, response, (id, r) -> id.equals(id(11)));

        assertThat(next).containsExactly(new Candidate(id(10), record(10)));
    }

    @Test
    void ignoresAnswersFromNonValidators() {
        table.put(id(10), Role.VALIDATOR);
        PeerExchangeResponse response =
                PeerExchangeResponse.newBuilder().addRecords(record(10)).build();
        PeerExchange pex = pex(8);

        assertThat(pex.toVerify(ASKER, Role.OBSERVER, response, (id, r) -> false))
                .isEmpty();
        assertThat(pex.toVerify(ASKER, Role.GATEWAY, response, (id, r) -> false))
                .isEmpty();
        assertThat(pex.toVerify(ASKER, Role.VALIDATOR, response, (id, r) -> false))
                .hasSize(1);
    }

    @Test
    void readsNoMoreThanTheBound() {
        PeerExchangeResponse.Builder response = PeerExchangeResponse.newBuilder();
        for (int i = 10; i < 20; i++) {
            table.put(id(i), Role.VALIDATOR);
            response.addRecords(record(i));
        }

        List<Candidate> next = pex(4).toVerify(ASKER, Role.VALIDATOR, response.build(), (id, r) -> false);

        assertThat(next).extracting(Candidate::id).containsExactly(id(10), id(11), id(12), id(13));
    }

    @Test
    void skipsUnparsableSelfUntrustedNonValidatorAndRepeatedRecords() {
        table.put(ME, Role.VALIDATOR);
        table.put(id(10), Role.VALIDATOR);
        table.put(id(11), Role.OBSERVER);
        table.put(id(16), Role.VALIDATOR);
        PeerExchangeResponse response = PeerExchangeResponse.newBuilder()
                .addRecords(record(10).toBuilder().setRecord(ByteString.copyFrom(new byte[] {(byte) 0xff})))
                .addRecords(record(10).toBuilder().setRecord(ByteString.EMPTY)) // no id
                .addRecords(record(1)) // this node
                .addRecords(record(11)) // observer
                .addRecords(record(12)) // unknown id
                .addRecords(record(10)) // fine
                .addRecords(record(10).toBuilder().setSignature(ByteString.EMPTY)) // repeated id
                .addRecords(record(16)) // fine
                .build();

        List<Candidate> next = pex(32).toVerify(ASKER, Role.VALIDATOR, response, (id, r) -> false);

        assertThat(next).containsExactly(new Candidate(id(10), record(10)), new Candidate(id(16), record(16)));
    }

    @Test
    void answerFeedsVerificationEndToEnd() throws Exception {
        for (int i = 10; i < 15; i++) {
            table.put(id(i), Role.VALIDATOR);
        }
        PeerExchange asker = pex(3);
        List<Known> known = List.of(validator(10), validator(11), validator(12), validator(13), validator(14));

        PeerExchangeResponse answer = new PeerExchange(ASKER, trust, 256).answer(known, asker.request(), ME);
        List<Candidate> next = asker.toVerify(ASKER, Role.VALIDATOR, answer, (id, r) -> id.equals(id(10)));

        assertThat(answer.getRecordsCount()).isEqualTo(3);
        assertThat(next).extracting(Candidate::id).containsExactly(id(11), id(12));
        assertThat(AddressRecords.verify(next.get(0).record(), Verifier.ED25519).addresses())
                .containsExactly(address(11));
    }

    @Test
    void checksArguments() {
        assertThatThrownBy(() -> new PeerExchange(ME, new InMemoryTrustRegistry(Map.of()), -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxEntries: -1 (expected: >= 0)");
        assertThatThrownBy(() -> PeerExchange.answer(List.of(), -2)).hasMessage("maxEntries: -2 (expected: >= 0)");
        assertThatThrownBy(() -> new Known(null, Role.VALIDATOR, null, true)).hasMessage("id");
        assertThatThrownBy(() -> pex(1).toVerify(ASKER, Role.VALIDATOR, null, (id, r) -> false))
                .hasMessage("response");
    }
}
