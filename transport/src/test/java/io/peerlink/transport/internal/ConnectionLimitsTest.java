package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerlink.core.config.Limits;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {
    static final InetAddress A = HandshakeRateTest.address(1);
    static final InetAddress B = HandshakeRateTest.address(2);

    @Test
    void inboundStrangersFillingTheirBudgetDoNotStarveThisNodesDials() {
        ConnectionLimits limits = new ConnectionLimits(
                Limits.defaults().withMaxPendingHandshakes(2).withPerIp(2, 2).withMaxPendingOutbound(3));
        assertThat(limits.tryBeginInbound(A, 0)).isNull();
        assertThat(limits.tryBeginInbound(B, 0)).isNull();
        assertThat(limits.tryBeginInbound(B, 0)).isEqualTo("max_pending_handshakes");

        for (int i = 0; i < 3; i++) {
            assertThat(limits.tryBeginOutbound()).isNull();
        }
        assertThat(limits.tryBeginOutbound()).isEqualTo("max_pending_outbound");
        assertThat(limits.pending()).isEqualTo(2);
        assertThat(limits.pendingOutbound()).isEqualTo(3);

        limits.endHandshake(false, null);
        assertThat(limits.tryBeginOutbound()).isNull();
        limits.endHandshake(true, A);
        assertThat(limits.tryBeginInbound(A, 0)).isNull();
    }

    @Test
    void theRateIsCheckedFirstAndARefusedConnectionHoldsNoSlot() {
        ConnectionLimits limits = new ConnectionLimits(Limits.defaults().withHandshakeRatePerIp(1, 2));
        assertThat(limits.tryBeginInbound(A, 0)).isNull();
        assertThat(limits.tryBeginInbound(A, 0)).isNull();
        assertThat(limits.tryBeginInbound(A, 0)).isEqualTo("handshake_rate_per_ip");
        assertThat(limits.pending()).isEqualTo(2);
        assertThat(limits.tryBeginInbound(B, 0)).as("another address").isNull();
    }
}
