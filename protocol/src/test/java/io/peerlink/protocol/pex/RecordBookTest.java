package io.peerlink.protocol.pex;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerlink.core.PeerAddress;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.identity.Verifier;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordBookTest {
    static final NodeIdentity B = NodeIdentity.generate();
    static final PeerAddress PROVEN = PeerAddress.parse("127.0.0.1:7001");
    static final PeerAddress CLOSED = PeerAddress.parse("127.0.0.1:9");
    static final PeerAddress ELSEWHERE = PeerAddress.parse("127.0.0.1:7002");

    final RecordBook book = new RecordBook();

    static AddressRecords.Verified record(List<PeerAddress> addresses, long seq) throws Exception {
        return AddressRecords.verify(AddressRecordsTest.own(B, addresses, seq), Verifier.ED25519);
    }

    @Test
    void relayedRecordNeverReplacesTheProvenAddress() throws Exception {
        book.proven(B.id(), PROVEN, record(List.of(PROVEN), 10));

        // a genuine, newer record of B listing a closed port (B's key, relayed by an insider)
        assertThat(book.offer(record(List.of(CLOSED), 1_000_000))).isEqualTo(RecordBook.Offer.NEWER);

        assertThat(book.proven(B.id())).isEqualTo(PROVEN);
        assertThat(book.targets(B.id())).containsExactly(PROVEN, CLOSED);
        assertThat(book.record(B.id()).sequence()).isEqualTo(1_000_000);
    }

    @Test
    void olderOrEqualSequenceIsDroppedAndNewerReplaces() throws Exception {
        AddressRecords.Verified first = record(List.of(ELSEWHERE), 20);
        assertThat(book.offer(first)).isEqualTo(RecordBook.Offer.NEWER);
        assertThat(book.offer(record(List.of(CLOSED), 19))).isEqualTo(RecordBook.Offer.STALE);
        assertThat(book.offer(record(List.of(CLOSED), 20))).isEqualTo(RecordBook.Offer.STALE);
        assertThat(book.offer(first)).isEqualTo(RecordBook.Offer.SAME);
        assertThat(book.targets(B.id())).containsExactly(ELSEWHERE);
        assertThat(book.holds(B.id(), first.signed())).isTrue();

        assertThat(book.offer(record(List.of(CLOSED), 21))).isEqualTo(RecordBook.Offer.NEWER);
        assertThat(book.targets(B.id())).containsExactly(CLOSED);
        assertThat(book.holds(B.id(), first.signed())).isFalse();
    }

    @Test
    void handshakeRecordOlderThanTheHeldOneKeepsTheNewerRecordButTheProvenAddressIsTaken() throws Exception {
        book.offer(record(List.of(ELSEWHERE), 50));

        book.proven(B.id(), PROVEN, record(List.of(PROVEN), 40));

        assertThat(book.proven(B.id())).isEqualTo(PROVEN);
        assertThat(book.record(B.id()).sequence()).isEqualTo(50);
        assertThat(book.targets(B.id())).containsExactly(PROVEN, ELSEWHERE);
    }

    @Test
    void remembersWhereANodeWasLinked() throws Exception {
        assertThat(book.wasLinkedAt(B.id(), PROVEN)).isFalse();
        book.proven(B.id(), PROVEN, null);
        book.offer(record(List.of(ELSEWHERE), 5));

        assertThat(book.wasLinkedAt(B.id(), PROVEN)).isTrue();
        assertThat(book.wasLinkedAt(B.id(), ELSEWHERE)).isFalse();
        book.linkedAt(B.id(), ELSEWHERE);
        assertThat(book.wasLinkedAt(B.id(), ELSEWHERE)).isTrue();
        for (int port = 1; port <= RecordBook.MAX_LINKED_PER_NODE + 2; port++) {
            book.linkedAt(B.id(), new PeerAddress("127.0.0.1", port));
        }
        assertThat(book.wasLinkedAt(B.id(), PROVEN))
                .as("bounded: the oldest is forgotten")
                .isFalse();
        assertThat(book.ids()).containsExactly(B.id());
        book.remove(B.id());
        assertThat(book.ids()).isEmpty();
        assertThat(book.targets(B.id())).isEmpty();
    }
}
