package io.peerlink.protocol.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.peerlink.core.config.DialPolicy;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    static final long MS = 1_000_000L;

    @Test
    void withoutJitterItDoublesFromMinToMax() {
        DialPolicy p = new DialPolicy(8, Duration.ofMillis(100), Duration.ofSeconds(1), 0.0, Duration.ofSeconds(2));
        SplittableRandom r = new SplittableRandom(1);
        assertThat(Backoff.nanos(p, 1, r)).isEqualTo(100 * MS);
        assertThat(Backoff.nanos(p, 2, r)).isEqualTo(200 * MS);
        assertThat(Backoff.nanos(p, 4, r)).isEqualTo(800 * MS);
        assertThat(Backoff.nanos(p, 5, r)).isEqualTo(1000 * MS);
        assertThat(Backoff.nanos(p, 60, r)).isEqualTo(1000 * MS);
        assertThat(Backoff.nanos(p, Integer.MAX_VALUE, r)).isEqualTo(1000 * MS);
    }

    @Test
    void jitterStaysWithinItsShareAndTheBounds() {
        qt().forAll(integers().between(1, 80), longs().all(), integers().between(0, 100))
                .checkAssert((retry, seed, jitterPercent) -> {
                    double jitter = jitterPercent / 100.0;
                    DialPolicy p = new DialPolicy(
                            8, Duration.ofMillis(100), Duration.ofSeconds(10), jitter, Duration.ofSeconds(2));
                    long wait = Backoff.nanos(p, retry, new SplittableRandom(seed));
                    long next = Math.min(10_000 * MS, 100 * MS << Math.min(retry - 1, 20));
                    assertThat(wait).isBetween(100 * MS, 10_000 * MS);
                    assertThat((double) Math.abs(wait - next)).isLessThanOrEqualTo(next * jitter + 1);
                });
    }
}
