package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.identity.Verifier;
import io.peerlink.protocol.pex.AddressRecords;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AddressBookTest {
    private static final PeerAddress A = PeerAddress.parse("127.0.0.1:7001");

    private final AtomicLong now = new AtomicLong();
    private final AddressBook book = new AddressBook(Duration.ofSeconds(2), now::get);

    @Test
    void deferralHoldsAnAddressBackOnceThenLetsItThrough() {
        book.defer(A, Duration.ofSeconds(2));
        assertThat(book.ready(A)).isFalse();
        now.addAndGet(Duration.ofMillis(1999).toNanos());
        assertThat(book.ready(A)).isFalse();
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(book.ready(A)).isTrue();
        // a later announcement of the same address does not hold it back again
        book.defer(A, Duration.ofSeconds(2));
        assertThat(book.ready(A)).isTrue();
    }

    @Test
    void deferralDoesNotShortenAFailureCooldown() {
        book.failed(A);
        book.failed(A); // 4 s
        book.defer(A, Duration.ofMillis(10));
        now.addAndGet(Duration.ofSeconds(3).toNanos());
        assertThat(book.ready(A)).isFalse();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(book.ready(A)).isTrue();
    }

    @Test
    void aLinkClearsADeferral() {
        book.defer(A, Duration.ofSeconds(2));
        book.succeeded(A);
        assertThat(book.ready(A)).isTrue();
        // and the next deferral counts again
        book.defer(A, Duration.ofSeconds(2));
        assertThat(book.ready(A)).isFalse();
    }

    @Test
    void failuresDoubleTheCooldown() {
        book.failed(A);
        now.addAndGet(Duration.ofMillis(1999).toNanos());
        assertThat(book.ready(A)).isFalse();
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(book.ready(A)).isTrue();
        book.failed(A);
        now.addAndGet(Duration.ofSeconds(3).toNanos());
        assertThat(book.ready(A)).isFalse();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(book.ready(A)).isTrue();
    }

    @Test
    void anAddressThatIsNotPeerlinkRestsForTheLongCooldown() {
        AddressBook b = new AddressBook(Duration.ofSeconds(2), Duration.ofMinutes(10), now::get);
        b.notPeerlink(A);
        now.addAndGet(Duration.ofMinutes(9).toNanos());
        assertThat(b.ready(A)).isFalse();
        now.addAndGet(Duration.ofMinutes(1).toNanos());
        assertThat(b.ready(A)).isTrue();
    }

    @Test
    void notPeerlinkMeansAConnectionWasMadeAndTheAnswerWasNotTheExpectedNode() {
        assertThat(AddressBook.notPeerlink(DisconnectReason.MALFORMED_FRAME, true))
                .isTrue();
        assertThat(AddressBook.notPeerlink(DisconnectReason.HANDSHAKE_TIMEOUT, true))
                .as("maybe just slow")
                .isFalse();
        assertThat(AddressBook.notPeerlink(DisconnectReason.UNEXPECTED_PEER, true))
                .isTrue();
        assertThat(AddressBook.notPeerlink(DisconnectReason.CONNECTION_CLOSED, true))
                .isTrue();
        assertThat(AddressBook.notPeerlink(DisconnectReason.CONNECTION_CLOSED, false))
                .as("refused")
                .isFalse();
        assertThat(AddressBook.notPeerlink(DisconnectReason.TOO_MANY_CONNECTIONS, true))
                .isFalse();
        assertThat(AddressBook.notPeerlink(DisconnectReason.REVOKED, true)).isFalse();
    }

    @Test
    void aProvenAddressIsNotNewAndLeadsTheTargets() throws Exception {
        NodeIdentity b = NodeIdentity.generate();
        PeerAddress elsewhere = PeerAddress.parse("127.0.0.1:7009");
        AddressRecords.Verified record = AddressRecords.verify(
                AddressRecords.sign(b, b.publicKey(), b.id(), List.of(elsewhere), Long.MAX_VALUE), Verifier.ED25519);
        book.proven(b.id(), A, null);
        book.offer(record);

        assertThat(book.targets(b.id())).containsExactly(A, elsewhere);
        assertThat(book.validators()).containsEntry(b.id(), A);
        assertThat(book.isNew(b.id(), A)).isFalse();
        assertThat(book.isNew(b.id(), elsewhere)).isTrue();
        assertThat(book.record(b.id())).isEqualTo(record.signed());
        assertThat(book.holds(b.id(), record.signed())).isTrue();
    }
}
