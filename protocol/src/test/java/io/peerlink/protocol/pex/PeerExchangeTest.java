package io.peerlink.protocol.pex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.trust.InMemoryTrustRegistry;
import io.peerlink.proto.v1.PeerEntry;
import io.peerlink.proto.v1.PeerExchangeRequest;
import io.peerlink.proto.v1.PeerExchangeResponse;
import io.peerlink.protocol.pex.PeerExchange.Candidate;
import io.peerlink.protocol.pex.PeerExchange.Known;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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


    static final NodeId ME = id(1);
    static final NodeId ASKER = id(2);

    final Map<NodeId, Role> table = new HashMap<>();
    InMemoryTrustRegistry trust;

    static NodeId id(int n) {
        byte[] b = new byte[NodeId.LENGTH_BYTES];
        b[19] = (byte) n;
        b[18] = (byte) (n >> 8);
        return NodeId.of(b);
    }

    static PeerAddress address(int n) {
        return new PeerAddress("10.0." + (n >> 8) + "." + (n & 0xff), 7000);
    }

    static Known validator(int n) {
        return new Known(id(n), Role.VALIDATOR, address(n), true);
    }

    static PeerEntry entry(int n) {
        return PeerEntry.newBuilder()
                .setNodeId(ByteString.copyFrom(id(n).toBytes()))
                .setAddress(address(n).toString())
                .build();
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
    void answerListsOnlyAuthenticatedValidatorsWithAnAddress() {
        List<Known> known = List.of(
                validator(10),
                new Known(id(11), Role.OBSERVER, address(11), true),
                new Known(id(12), Role.GATEWAY, address(12), true),
                new Known(id(13), Role.VALIDATOR, null, true),
                new Known(id(14), Role.VALIDATOR, address(14), false),
                new Known(id(15), Role.VALIDATOR, new PeerAddress("10.0.0.15", 0), true),
                validator(10),
                validator(16));

        PeerExchangeResponse answer = PeerExchange.answer(known, 10);

        assertThat(answer.getPeersList()).containsExactly(entry(10), entry(16));
    }

    @Test
    void answerIsBoundedByOursAndByTheRequest() {
        List<Known> known = new ArrayList<>();
        for (int i = 10; i < 40; i++) {
            known.add(validator(i));
        }
        PeerExchange pex = pex(8);

        assertThat(pex.answer(known, PeerExchangeRequest.newBuilder().setMaxEntries(3).build(), ASKER)
                .getPeersCount()).isEqualTo(3);
        assertThat(pex.answer(known, PeerExchangeRequest.newBuilder().setMaxEntries(100).build(), ASKER)
                .getPeersCount()).isEqualTo(8);
        assertThat(pex.answer(known, PeerExchangeRequest.getDefaultInstance(), ASKER).getPeersCount())
                .as("0 means: use ours").isEqualTo(8);
        assertThat(pex.answer(known, PeerExchangeRequest.newBuilder().setMaxEntries(-1).build(), ASKER)
                .getPeersCount()).as("uint32 max, not -1").isEqualTo(8);
        assertThat(pex(0).answer(known, PeerExchangeRequest.getDefaultInstance(), ASKER).getPeersCount()).isZero();
        assertThat(PeerExchange.answer(known, 0).getPeersCount()).isZero();
    }

    @Test
    void answerNeverListsTheRequesterOrThisNode() {
        List<Known> known = List.of(
                new Known(ASKER, Role.VALIDATOR, address(2), true),
                new Known(ME, Role.VALIDATOR, address(1), true),
                validator(10));

        PeerExchangeResponse answer = pex(8).answer(known, PeerExchangeRequest.getDefaultInstance(), ASKER);

        assertThat(answer.getPeersList()).containsExactly(entry(10));
    }

    @Test
    void dialsTrustedValidatorsThatAreNotConnected() {
        table.put(id(10), Role.VALIDATOR);
        table.put(id(11), Role.VALIDATOR);
        PeerExchangeResponse response = PeerExchangeResponse.newBuilder()
                .addPeers(entry(10))
                .addPeers(entry(11))
                .build();

        List<Candidate> next = pex(8).toDial(ASKER, Role.VALIDATOR, response, Set.of(id(11))::contains);

        assertThat(next).containsExactly(new Candidate(id(10), address(10)));
    }

    @Test
    void ignoresAnswersFromNonValidators() {
        table.put(id(10), Role.VALIDATOR);
        PeerExchangeResponse response = PeerExchangeResponse.newBuilder().addPeers(entry(10)).build();
        PeerExchange pex = pex(8);

        assertThat(pex.toDial(ASKER, Role.OBSERVER, response, id -> false)).isEmpty();
        assertThat(pex.toDial(ASKER, Role.GATEWAY, response, id -> false)).isEmpty();
        assertThat(pex.toDial(ASKER, Role.VALIDATOR, response, id -> false)).hasSize(1);
    }

    @Test
    void readsNoMoreThanTheBound() {
        PeerExchangeResponse.Builder response = PeerExchangeResponse.newBuilder();
        for (int i = 10; i < 20; i++) {
            table.put(id(i), Role.VALIDATOR);
            response.addPeers(entry(i));
        }

        List<Candidate> next = pex(4).toDial(ASKER, Role.VALIDATOR, response.build(), id -> false);

        assertThat(next).extracting(Candidate::id).containsExactly(id(10), id(11), id(12), id(13));
    }

    @Test
    void skipsMalformedSelfUntrustedNonValidatorAndRepeatedEntries() {
        table.put(ME, Role.VALIDATOR);
        table.put(id(10), Role.VALIDATOR);
        table.put(id(11), Role.OBSERVER);
        table.put(id(16), Role.VALIDATOR);
        PeerExchangeResponse response = PeerExchangeResponse.newBuilder()
                .addPeers(entry(10).toBuilder().setNodeId(ByteString.copyFrom(new byte[19])))   // short id
                .addPeers(entry(10).toBuilder().setNodeId(ByteString.EMPTY))                     // no id
                .addPeers(entry(10).toBuilder().setAddress("no port"))                           // bad address
                .addPeers(entry(10).toBuilder().setAddress(""))                                  // no address
                .addPeers(entry(10).toBuilder().setAddress("10.0.0.10:0"))                       // port 0
                .addPeers(entry(1))                                                              // this node
                .addPeers(entry(11))                                                             // observer
                .addPeers(entry(12))                                                             // unknown id
                .addPeers(entry(10))                                                             // fine
                .addPeers(entry(10).toBuilder().setAddress("10.9.9.9:7000"))                     // repeated id
                .addPeers(entry(16).toBuilder().setAddress("[::1]:7016"))                        // fine, IPv6
                .build();

        List<Candidate> next = pex(32).toDial(ASKER, Role.VALIDATOR, response, id -> false);

        assertThat(next).containsExactly(
                new Candidate(id(10), address(10)), new Candidate(id(16), PeerAddress.parse("[::1]:7016")));
    }

    @Test
    void answerFeedsToDialEndToEnd() {
        for (int i = 10; i < 15; i++) {
            table.put(id(i), Role.VALIDATOR);
        }
        PeerExchange asker = pex(3);
        List<Known> known = List.of(validator(10), validator(11), validator(12), validator(13), validator(14));

        PeerExchangeResponse answer = new PeerExchange(ASKER, trust, 256).answer(known, asker.request(), ME);
        List<Candidate> next = asker.toDial(ASKER, Role.VALIDATOR, answer, Set.of(id(10))::contains);

        assertThat(answer.getPeersCount()).isEqualTo(3);
        assertThat(next).extracting(Candidate::id).containsExactly(id(11), id(12));
    }

    @Test
    void checksArguments() {
        assertThatThrownBy(() -> new PeerExchange(ME, new InMemoryTrustRegistry(Map.of()), -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxEntries: -1 (expected: >= 0)");
        assertThatThrownBy(() -> PeerExchange.answer(List.of(), -2))
                .hasMessage("maxEntries: -2 (expected: >= 0)");
        assertThatThrownBy(() -> new Known(null, Role.VALIDATOR, null, true)).hasMessage("id");
        assertThatThrownBy(() -> pex(1).toDial(ASKER, Role.VALIDATOR, null, id -> false)).hasMessage("response");
    }
}
