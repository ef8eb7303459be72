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

    @Test
    void waitsSayHowLongAndWhyAndClearEndsThem() {
        PeerAddress b = PeerAddress.parse("127.0.0.1:7002");
        PeerAddress c = PeerAddress.parse("127.0.0.1:7003");
        assertThat(book.waiting(A)).isNull();
        assertThat(book.clear(A)).as("nothing to clear").isFalse();

        book.failed(A);
        book.failed(A);
        AddressBook.Wait w = book.waiting(A);
        assertThat(w).isNotNull();
        assertThat(w.kind()).isEqualTo(AddressBook.Wait.Kind.BACKOFF);
        assertThat(w.failures()).isEqualTo(2);
        assertThat(w.left()).isEqualTo(Duration.ofSeconds(4));
        book.notPeerlink(b);
        assertThat(book.waiting(b).kind()).isEqualTo(AddressBook.Wait.Kind.NOT_PEERLINK);
        book.defer(c, Duration.ofSeconds(1));
        assertThat(book.waiting(c).kind()).isEqualTo(AddressBook.Wait.Kind.DEFERRED);

        assertThat(book.clear(A)).isTrue();
        assertThat(book.ready(A)).isTrue();
        assertThat(book.waiting(A)).isNull();
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(book.waiting(c)).as("expired").isNull();
        assertThat(book.clear(c)).as("an expired wait is not counted").isFalse();
    }

    @Test
    void sourcesOfEachAddressAreNotedAndForgottenWithTheNode() throws Exception {
        NodeIdentity v = NodeIdentity.generate();
        PeerAddress relayed = PeerAddress.parse("10.0.0.9:7000");
        List<PeerAddress> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        book.onAddress(seen::add);
        book.proven(v.id(), A, null, true);
        AddressRecords.Verified record = AddressRecords.verify(
                AddressRecords.sign(v, v.publicKey(), v.id(), List.of(relayed), 5), Verifier.ED25519);
        book.offer(record);
        book.source(v.id(), A, io.peerlink.core.PeerExplanation.Source.SEED);

        assertThat(book.sources(v.id()))
                .containsEntry(
                        A,
                        java.util.Set.of(
                                io.peerlink.core.PeerExplanation.Source.INBOUND,
                                io.peerlink.core.PeerExplanation.Source.SEED))
                .containsEntry(relayed, java.util.Set.of(io.peerlink.core.PeerExplanation.Source.PEER_EXCHANGE));
        assertThat(seen).contains(A, relayed);
        book.remove(v.id());
        assertThat(book.sources(v.id())).isEmpty();
    }
}
