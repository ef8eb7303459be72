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
        assertThat(guard.onAnswer(16, 4000, false)).isNull();
        assertThat(guard.onAnswer(17, 100, false)).contains("17 records (asked for at most 16)");
        assertThat(guard.onAnswer(1, 4097, false)).contains("4097 bytes (limit 4096)");
        assertThat(guard.onAnswer(1, 4097, true)).contains("4097 bytes (limit 4096)");
    }

    @Test
    void answersWithoutARequestAreAbuse() {
        assertThat(guard.onAnswer(0, 2, false)).contains("without a request");
        guard.requested();
        assertThat(guard.onAnswer(3, 300, false)).isNull();
        assertThat(guard.onAnswer(3, 300, false)).contains("without a request");
    }

    @Test
    void announcementsCarryOneRecordWithinTheirRateAndDoNotUseUpARequest() {
        guard.requested();
        assertThat(guard.onAnswer(2, 100, true)).contains("announcement of 2 records (expected: 1)");
        assertThat(guard.onAnswer(1, 100, true)).isNull();
        assertThat(guard.onAnswer(1, 100, true)).isNull();
        assertThat(guard.onAnswer(1, 100, true)).contains("more than 2 announcements per minute");
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(guard.onAnswer(1, 100, true)).isNull();
        assertThat(guard.onAnswer(5, 100, false))
                .as("the request is still outstanding")
                .isNull();
    }

    @Test
    void eachRequestLicensesOneAnswerAndOutstandingRequestsAreBounded() {
        for (int i = 0; i < PexGuard.MAX_OUTSTANDING + 10; i++) {
            guard.requested();
        }
        for (int i = 0; i < PexGuard.MAX_OUTSTANDING; i++) {
            assertThat(guard.onAnswer(5, 500, false)).isNull();
        }
        assertThat(guard.onAnswer(5, 500, false)).as("no request left").contains("without a request");
    }

    @Test
    void ownAnnouncementsStayAtHalfOfWhatAPeerConfiguredAlikeAccepts() {
        PexGuard sender = new PexGuard(PexPolicy.defaults().withLinkLimits(6, 10, 4096), 16, now::get);
        PexGuard receiver = new PexGuard(PexPolicy.defaults().withLinkLimits(6, 10, 4096), 16, now::get);
        int sent = 0;
        for (int minute = 0; minute < 5; minute++) {
            for (int i = 0; i < 100; i++) {
                if (sender.tryAnnounce()) {
                    sent++;
                    assertThat(receiver.onAnswer(1, 100, true)).isNull();
                }
            }
            now.addAndGet(Duration.ofMinutes(1).toNanos());
        }
        assertThat(sent).isEqualTo(5 * 5);
    }
}
