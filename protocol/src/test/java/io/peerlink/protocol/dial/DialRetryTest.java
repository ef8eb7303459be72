package io.peerlink.protocol.dial;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.HandshakeException;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerlinkException;
import io.peerlink.core.config.DialPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class DialRetryTest {

    static final PeerAddress TARGET = PeerAddress.parse("10.0.0.7:7000");
    static final Duration VERIFY = Duration.ofSeconds(5);

    final AtomicInteger attempts = new AtomicInteger();
    final List<Long> startedAtMillis = new ArrayList<>();

    static DialPolicy policy(int maxAttempts, long minMillis, long maxMillis, double jitter) {
        return new DialPolicy(
                maxAttempts, Duration.ofMillis(minMillis), Duration.ofMillis(maxMillis), jitter, Duration.ofSeconds(2));
    }

    /** A dial that fails {@code failures} times with what {@code error} makes, then succeeds. */
    Mono<String> dial(DialPolicy policy, int failures, Supplier<Throwable> error) {
        VirtualTimeScheduler clock = VirtualTimeScheduler.get();
        return Mono.defer(() -> {
                    startedAtMillis.add(clock.now(TimeUnit.MILLISECONDS));
                    return attempts.incrementAndGet() <= failures ? Mono.<String>error(error.get()) : Mono.just("ok");
                })
                .retryWhen(DialRetry.of(policy, clock).spec(TARGET));
    }

    @Test
    void givesUpAfterExactlyMaxAttemptsWithAClearError() {
        DialPolicy policy = policy(5, 100, 10_000, 0);

        StepVerifier.withVirtualTime(() -> dial(policy, Integer.MAX_VALUE, () -> new ConnectException("refused")))
                .expectSubscription()
                .thenAwait(Duration.ofHours(1))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(PeerlinkException.class);
                    PeerlinkException p = (PeerlinkException) e;
                    assertThat(p.reason()).isEqualTo(DisconnectReason.CONNECTION_CLOSED);
                    assertThat(p.detail())
                            .isEqualTo("gave up dialing 10.0.0.7:7000 after 5 attempts: ConnectException: refused");
                    assertThat(p.getCause()).isInstanceOf(ConnectException.class);
                    assertThat(Exceptions.isRetryExhausted(e)).isFalse();
                })
                .verify(VERIFY);

        assertThat(attempts).hasValue(5);
    }

    @Test
    void delaysDoubleAndAreCappedAtMaxBackoff() {
        DialPolicy policy = policy(8, 100, 1_000, 0);

        StepVerifier.withVirtualTime(() -> dial(policy, Integer.MAX_VALUE, () -> new ConnectException("refused")))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(100 + 200 + 400 + 800 + 1000 + 1000 + 1000 - 1))
                .thenAwait(Duration.ofMillis(1))
                .expectError(PeerlinkException.class)
                .verify(VERIFY);

        assertThat(gaps()).containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L, 1000L);
    }

    @Test
    void jitterStaysWithinItsShareAndTheBounds() {
        DialPolicy policy = policy(8, 100, 1_000, 0.5);

        StepVerifier.withVirtualTime(() -> dial(policy, Integer.MAX_VALUE, () -> new SocketTimeoutException()))
                .expectSubscription()
                .thenAwait(Duration.ofHours(1))
                .expectError(PeerlinkException.class)
                .verify(VERIFY);

        List<Long> gaps = gaps();
        long[] nominal = {100, 200, 400, 800, 1000, 1000, 1000};
        assertThat(gaps).hasSize(nominal.length);
        for (int i = 0; i < nominal.length; i++) {
            assertThat(gaps.get(i)).as("gap %s", i).isBetween(Math.max(100, nominal[i] / 2), 1000L);
        }
    }

    @Test
    void succeedsOnceAnAttemptWorks() {
        DialPolicy policy = policy(5, 100, 1_000, 0);

        StepVerifier.withVirtualTime(() -> dial(policy, 2, () -> new IOException("reset")))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(299))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("ok")
                .expectComplete()
                .verify(VERIFY);

        assertThat(attempts).hasValue(3);
    }

    @Test
    void nonRetryableErrorsFailAtOnceAsTheyAre() {
        DialPolicy policy = policy(5, 100, 1_000, 0);
        HandshakeException refused = new HandshakeException(DisconnectReason.BAD_SIGNATURE, "forged");

        StepVerifier.withVirtualTime(() -> dial(policy, Integer.MAX_VALUE, () -> refused))
                .expectSubscription()
                .expectErrorSatisfies(e -> assertThat(e).isSameAs(refused))
                .verify(VERIFY);
        assertThat(attempts).hasValue(1);

        attempts.set(0);
        StepVerifier.withVirtualTime(() -> dial(policy, Integer.MAX_VALUE, () -> new IllegalStateException("bug")))
                .expectSubscription()
                .expectError(IllegalStateException.class)
                .verify(VERIFY);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void exhaustionKeepsTheLastRetryableReason() {
        DialPolicy policy = policy(3, 100, 1_000, 0);

        StepVerifier.withVirtualTime(() -> dial(
                        policy,
                        Integer.MAX_VALUE,
                        () -> new HandshakeException(DisconnectReason.HANDSHAKE_TIMEOUT, "no answer in 2s")))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(1))
                .expectErrorSatisfies(e -> {
                    PeerlinkException p = (PeerlinkException) e;
                    assertThat(p.reason()).isEqualTo(DisconnectReason.HANDSHAKE_TIMEOUT);
                    assertThat(p.detail())
                            .isEqualTo("gave up dialing 10.0.0.7:7000 after 3 attempts: "
                                    + "handshake_timeout: no answer in 2s");
                })
                .verify(VERIFY);
    }

    @Test
    void singleAttemptPolicyNeverRetries() {
        DialPolicy policy = policy(1, 100, 1_000, 0);

        StepVerifier.withVirtualTime(() -> dial(policy, Integer.MAX_VALUE, () -> new ConnectException("refused")))
                .expectSubscription()
                .expectErrorSatisfies(e -> assertThat(((PeerlinkException) e).detail())
                        .isEqualTo("gave up dialing 10.0.0.7:7000 after 1 attempt: ConnectException: refused"))
                .verify(VERIFY);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void templateNamesNoTarget() {
        DialPolicy policy = policy(2, 100, 1_000, 0);

        StepVerifier.withVirtualTime(() -> Mono.error(new ConnectException())
                        .retryWhen(
                                DialRetry.of(policy, VirtualTimeScheduler.get()).template()))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(1))
                .expectErrorSatisfies(e -> assertThat(((PeerlinkException) e).detail())
                        .isEqualTo("gave up dialing a peer after 2 attempts: ConnectException"))
                .verify(VERIFY);
        assertThat(DialRetry.of(policy).policy()).isSameAs(policy);
    }

    @Test
    void classifiesFailures() {
        assertThat(DialRetry.retryable(new ConnectException())).isTrue();
        assertThat(DialRetry.retryable(new SocketTimeoutException())).isTrue();
        assertThat(DialRetry.retryable(new IOException())).isTrue();
        assertThat(DialRetry.retryable(new UncheckedIOException(new IOException())))
                .isTrue();
        assertThat(DialRetry.retryable(new TimeoutException())).isTrue();
        assertThat(DialRetry.retryable(Exceptions.propagate(new IOException()))).isTrue();
        assertThat(DialRetry.retryable(new PeerlinkException(DisconnectReason.TOO_MANY_CONNECTIONS, "full")))
                .isTrue();
        assertThat(DialRetry.retryable(new PeerlinkException(DisconnectReason.SHUTDOWN, "bye")))
                .isTrue();
        assertThat(DialRetry.retryable(new PeerlinkException(DisconnectReason.UNKNOWN_PEER, "who")))
                .isFalse();
        assertThat(DialRetry.retryable(new HandshakeException(DisconnectReason.DUPLICATE, "dup")))
                .isFalse();
        assertThat(DialRetry.retryable(new IllegalArgumentException())).isFalse();
    }

    private List<Long> gaps() {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < startedAtMillis.size(); i++) {
            gaps.add(startedAtMillis.get(i) - startedAtMillis.get(i - 1));
        }
        return gaps;
    }
}
