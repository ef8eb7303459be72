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

    @Test
    void reservedHandshakeSlotsAreForKnownValidatorAddressesOnlyAndBounded() {
        ConnectionLimits limits = new ConnectionLimits(
                Limits.defaults().withMaxPendingHandshakes(1).withPerIp(64, 64));
        assertThat(limits.tryBeginInbound(B, 0)).isNull();
        assertThat(limits.tryBeginInbound(A, 0)).isEqualTo("max_pending_handshakes");
        assertThat(limits.tryReserve(A)).as("no validator known at A yet").isFalse();

        limits.noteValidatorHost("not-an-ip.example"); // never resolved, never counted
        limits.noteValidatorHost(A.getHostAddress());
        for (int i = 0; i < ConnectionLimits.RESERVED_HANDSHAKES; i++) {
            assertThat(limits.tryReserve(A)).as("reserved slot %s", i).isTrue();
        }
        assertThat(limits.tryReserve(A)).as("the reserve is bounded too").isFalse();
        assertThat(limits.tryReserve(B)).as("strangers' address").isFalse();
        assertThat(limits.reservedPending()).isEqualTo(ConnectionLimits.RESERVED_HANDSHAKES);
        assertThat(limits.pending()).as("the ordinary budget is untouched").isEqualTo(1);

        limits.endHandshake(true, A, true);
        assertThat(limits.reservedPending()).isEqualTo(ConnectionLimits.RESERVED_HANDSHAKES - 1);
        assertThat(limits.pending()).isEqualTo(1);
        assertThat(limits.tryReserve(A)).isTrue();
    }

    @Test
    void inboundValidatorIsNeverRefusedForSlotsNonValidatorsFilled() {
        ConnectionLimits limits =
                new ConnectionLimits(Limits.defaults().withMaxInbound(2).withPerIp(64, 2));
        assertThat(limits.tryEstablish(true, A, false)).isNull();
        assertThat(limits.tryEstablish(true, A, false)).isNull();
        assertThat(limits.tryEstablish(true, B, false))
                .as("observers filled max_inbound")
                .isEqualTo("max_inbound");

        assertThat(limits.tryEstablish(true, A, true))
                .as("a validator, from a full IP too")
                .isNull();
        assertThat(limits.tryEstablish(true, A, true)).isNull();
        assertThat(limits.inbound()).isEqualTo(4);
        assertThat(limits.tryEstablish(true, B, true))
                .as("validators alone filling max_inbound")
                .isEqualTo("max_inbound");

        limits.release(true, A, false);
        limits.release(true, A, false);
        assertThat(limits.tryEstablish(true, B, false))
                .as("validators count toward the total others see")
                .isEqualTo("max_inbound");
        limits.release(true, A, true);
        limits.transfer(true, A, false, null, true); // the other validator's link replaced by an outbound one
        assertThat(limits.inbound()).isZero();
        assertThat(limits.tryEstablish(true, B, true)).isNull();
        assertThat(limits.tryEstablish(true, B, false)).isNull();
    }
}
