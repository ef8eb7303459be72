package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerlink.core.PeerAddress;
import java.time.Duration;
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
}
