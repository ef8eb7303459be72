package io.peerlink.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.HandshakeException;
import io.peerlink.core.Role;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BanListTest {
    final AtomicLong now = new AtomicLong(Long.MAX_VALUE - 1000); // wraps around during the test
    final Peers p = new Peers();
    final BanList bans = new BanList(Duration.ofSeconds(60), now::get);

    @Test
    void bannedIdIsRefusedAtAdmissionUntilTheBanExpires() {
        Admission admission = new Admission(p.trust, Role.VALIDATOR, bans);
        assertThat(admission.admit(p.a.id(), Role.VALIDATOR, Direction.INBOUND)).isEqualTo(Role.VALIDATOR);

        bans.ban(p.a.id());

        assertThatThrownBy(() -> admission.admit(p.a.id(), Role.VALIDATOR, Direction.INBOUND))
                .isInstanceOfSatisfying(
                        HandshakeException.class, e -> assertThat(e.reason()).isEqualTo(DisconnectReason.BANNED));
        assertThat(admission.admit(p.b.id(), Role.VALIDATOR, Direction.OUTBOUND))
                .isEqualTo(Role.VALIDATOR);
        assertThat(bans.remaining(p.a.id())).isEqualTo(Duration.ofSeconds(60));

        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(bans.banned(p.a.id())).isTrue();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(bans.banned(p.a.id())).isFalse();
        assertThat(admission.admit(p.a.id(), Role.VALIDATOR, Direction.INBOUND)).isEqualTo(Role.VALIDATOR);
        assertThat(bans.remaining(p.a.id())).isZero();
    }

    @Test
    void operatorBansLastTheirOwnDurationOrUntilLiftedAndCanBeLifted() {
        bans.ban(p.a.id(), Duration.ofSeconds(5));
        bans.banForever(p.b.id());
        assertThat(bans.remaining(p.a.id())).isEqualTo(Duration.ofSeconds(5));

        now.addAndGet(Duration.ofDays(365L * 50).toNanos());
        assertThat(bans.banned(p.a.id())).isFalse();
        assertThat(bans.banned(p.b.id()))
                .as("the config's list outlives any run")
                .isTrue();

        assertThat(bans.unban(p.b.id())).isTrue();
        assertThat(bans.banned(p.b.id())).isFalse();
        assertThat(bans.unban(p.b.id())).as("nothing left to lift").isFalse();
        assertThatThrownBy(() -> bans.ban(p.a.id(), Duration.ZERO)).hasMessage("duration: PT0S (expected: > 0)");
    }

    @Test
    void checksArguments() {
        assertThatThrownBy(() -> new BanList(Duration.ZERO, now::get)).hasMessage("duration: PT0S (expected: > 0)");
    }
}
