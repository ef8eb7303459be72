package io.peerlink.protocol.pex;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerlink.core.config.PexPolicy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PexGuardTest {
    final AtomicLong now = new AtomicLong(-5);
    final PexPolicy policy = PexPolicy.defaults().withLinkLimits(6, 2, 4096);
    final PexGuard guard = new PexGuard(policy, 16, now::get);

    @Test
    void requestsBeyondTheRateAreAbuse() {
        for (int i = 0; i < 6; i++) {
            assertThat(guard.onRequest()).isNull();
        }
        assertThat(guard.onRequest()).contains("more than 6 peer-exchange requests per minute");
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(guard.onRequest()).as("one more per 10 s").isNull();
        assertThat(guard.onRequest()).isNotNull();
    }

    @Test
    void solicitedAnswersMayBeFullButNotLargerThanAskedOrTheByteLimit() {
        guard.requested();
        guard.requested();
        assertThat(guard.onAnswer(16, 4000)).isNull();
        assertThat(guard.onAnswer(17, 100)).contains("17 records (asked for at most 16)");
        assertThat(guard.onAnswer(1, 4097)).contains("4097 bytes (limit 4096)");
    }

    @Test
    void unrequestedAnswersAreSingleAnnouncementsWithinTheirRate() {
        assertThat(guard.onAnswer(2, 100)).contains("unrequested peer-exchange answer of 2 records");
        assertThat(guard.onAnswer(1, 100)).isNull();
        assertThat(guard.onAnswer(1, 100)).isNull();
        assertThat(guard.onAnswer(1, 100)).contains("more than 2 unrequested peer-exchange answers per minute");
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(guard.onAnswer(1, 100)).isNull();
    }

    @Test
    void eachRequestLicensesOneAnswerAndOutstandingRequestsAreBounded() {
        for (int i = 0; i < 10; i++) {
            guard.requested();
        }
        for (int i = 0; i < PexGuard.MAX_OUTSTANDING; i++) {
            assertThat(guard.onAnswer(5, 500)).isNull();
        }
        assertThat(guard.onAnswer(5, 500)).as("no request left").contains("unrequested");
    }
}
