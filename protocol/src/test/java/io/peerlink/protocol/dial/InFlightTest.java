package io.peerlink.protocol.dial;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class InFlightTest {

    static final Duration VERIFY = Duration.ofSeconds(5);

    final InFlight<String, Integer> inFlight = new InFlight<>();
    final AtomicInteger subscriptions = new AtomicInteger();
    final Sinks.One<Integer> result = Sinks.one();

    Mono<Integer> source(String key) {
        return result.asMono().doOnSubscribe(s -> subscriptions.incrementAndGet());
    }

    @Test
    void isLazy() {
        Mono<Integer> attempt = inFlight.get("a", this::source);

        assertThat(inFlight.size()).isZero();
        assertThat(subscriptions).hasValue(0);
        assertThat(attempt).isNotNull();
    }

    @Test
    void concurrentSubscribersShareOneSubscription() {
        StepVerifier first = StepVerifier.create(inFlight.get("a", this::source))
                .expectNext(42)
                .expectComplete()
                .verifyLater();
        StepVerifier second = StepVerifier.create(inFlight.get("a", this::source))
                .expectNext(42)
                .expectComplete()
                .verifyLater();

        assertThat(inFlight.contains("a")).isTrue();
        assertThat(inFlight.size()).isOne();
        assertThat(subscriptions).hasValue(1);
        result.tryEmitValue(42).orThrow();

        first.verify(VERIFY);
        second.verify(VERIFY);
        assertThat(subscriptions).hasValue(1);
        assertThat(inFlight.size()).isZero();
    }

    @Test
    void differentKeysDoNotShare() {
        Disposable a = inFlight.get("a", this::source).subscribe();
        Disposable b = inFlight.get("b", this::source).subscribe();

        assertThat(subscriptions).hasValue(2);
        assertThat(inFlight.size()).isEqualTo(2);
        a.dispose();
        b.dispose();
    }

    @Test
    void afterSuccessANewCallStartsAFreshAttempt() {
        AtomicInteger starts = new AtomicInteger();
        Mono<Integer> attempt = inFlight.get("a", k -> Mono.fromCallable(starts::incrementAndGet));

        StepVerifier.create(attempt).expectNext(1).expectComplete().verify(VERIFY);
        assertThat(inFlight.contains("a")).isFalse();
        StepVerifier.create(inFlight.get("a", k -> Mono.fromCallable(starts::incrementAndGet)))
                .expectNext(2)
                .expectComplete()
                .verify(VERIFY);
        // the same lazy Mono looks the key up again on each subscription
        StepVerifier.create(attempt).expectNext(3).expectComplete().verify(VERIFY);
    }

    @Test
    void afterAnErrorANewCallStartsAFreshAttempt() {
        AtomicInteger starts = new AtomicInteger();
        Mono<Integer> failing = inFlight.get("a", k -> {
            starts.incrementAndGet();
            return Mono.error(new IOException("refused"));
        });

        StepVerifier.create(failing).expectErrorMessage("refused").verify(VERIFY);
        assertThat(inFlight.contains("a")).isFalse();
        StepVerifier.create(inFlight.get("a", k -> Mono.just(7)))
                .expectNext(7)
                .expectComplete()
                .verify(VERIFY);
        assertThat(starts).hasValue(1);
    }

    @Test
    void startThatThrowsIsAnErrorAndIsForgotten() {
        StepVerifier.create(inFlight.get("a", k -> {
                    throw new IllegalStateException("cannot dial " + k);
                }))
                .expectErrorMessage("cannot dial a")
                .verify(VERIFY);

        assertThat(inFlight.contains("a")).isFalse();
    }

    @Test
    void attemptIsForgottenBeforeSubscribersSeeItsResult() {
        AtomicInteger starts = new AtomicInteger();
        boolean[] presentWhenSeen = {true};

        inFlight.get("a", k -> Mono.fromCallable(starts::incrementAndGet))
                .doOnNext(v -> presentWhenSeen[0] = inFlight.contains("a"))
                .block(VERIFY);

        assertThat(presentWhenSeen[0]).isFalse();
    }

    @Test
    void cancellingASubscriberDoesNotStopTheSharedAttempt() {
        Disposable gaveUp = inFlight.get("a", this::source).subscribe();
        gaveUp.dispose();

        // the attempt runs on (a dial others may join), and a later caller joins it instead of starting another
        assertThat(inFlight.contains("a")).isTrue();
        StepVerifier later = StepVerifier.create(inFlight.get("a", this::source))
                .expectNext(5)
                .expectComplete()
                .verifyLater();
        result.tryEmitValue(5).orThrow();

        later.verify(VERIFY);
        assertThat(subscriptions).hasValue(1);
        assertThat(inFlight.contains("a")).isFalse();
    }

    @Test
    void subscribersOnManyThreadsShareOneSubscription() throws Exception {
        int threads = 8;
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch got = new java.util.concurrent.CountDownLatch(threads);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                pool.execute(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    inFlight.get("a", this::source).subscribe(v -> got.countDown());
                });
            }
            go.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();

            assertThat(subscriptions).hasValue(1);
            result.tryEmitValue(1).orThrow();
            assertThat(got.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }
}
