package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HandshakeRateTest {
    static final InetAddress A = address(1);
    static final InetAddress B = address(2);
    static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    static InetAddress address(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static int acquired(HandshakeRate rate, InetAddress ip, long now, int tries) {
        int ok = 0;
        for (int i = 0; i < tries; i++) {
            if (rate.tryAcquire(ip, now)) {
                ok++;
            }
        }
        return ok;
    }

    @Test
    void aBurstIsAdmittedThenTheRate() {
        HandshakeRate rate = new HandshakeRate(50, 100);
        assertThat(acquired(rate, A, 0, 500)).isEqualTo(100);
        assertThat(acquired(rate, A, SECOND / 10, 500)).isEqualTo(5);
        assertThat(acquired(rate, A, SECOND / 10 + SECOND, 500)).isEqualTo(50);
        // a long pause refills to the burst, never beyond
        assertThat(acquired(rate, A, 100 * SECOND, 500)).isEqualTo(100);
    }

    @Test
    void eachAddressHasItsOwnBucket() {
        HandshakeRate rate = new HandshakeRate(1, 3);
        assertThat(acquired(rate, A, 0, 10)).isEqualTo(3);
        assertThat(acquired(rate, B, 0, 10))
                .as("a flood from A does not touch B")
                .isEqualTo(3);
    }

    @Test
    void sweepForgetsOnlyBucketsThatRefilled() {
        HandshakeRate rate = new HandshakeRate(10, 10);
        rate.tryAcquire(A, 0);
        rate.tryAcquire(B, SECOND);
        rate.sweep(SECOND + SECOND / 2); // A has refilled (1 s for 10 tokens at 10/s), B not yet
        assertThat(rate.tracked()).isEqualTo(1);
        assertThat(acquired(rate, B, SECOND + SECOND / 2, 20))
                .as("B kept its state")
                .isEqualTo(10);
    }

    @Test
    void theTableIsBoundedAndAnAddressBeyondItIsNotRefused() {
        HandshakeRate rate = new HandshakeRate(1, 1, 2);
        assertThat(acquired(rate, A, 0, 5)).isEqualTo(1);
        assertThat(acquired(rate, B, 0, 5)).isEqualTo(1);
        InetAddress c = address(3);
        assertThat(acquired(rate, c, 0, 5))
                .as("untracked: the pending caps bound it")
                .isEqualTo(5);
        assertThat(rate.tracked()).isEqualTo(2);
        // once A and B have refilled (1 s), the next new address makes room by itself and c is metered again
        assertThat(acquired(rate, c, 10 * SECOND, 5)).isEqualTo(1);
        assertThat(rate.tracked()).isEqualTo(1);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new HandshakeRate(0, 1)).hasMessage("perSecond: 0 (expected: >= 1)");
        assertThatThrownBy(() -> new HandshakeRate(1, 0)).hasMessage("burst: 0 (expected: >= 1)");
    }
}
