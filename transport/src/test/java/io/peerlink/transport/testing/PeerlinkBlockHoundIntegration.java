package io.peerlink.transport.testing;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * What BlockHound must let through in the integration tests, each with the reason it is not a blocking call of ours.
 * Loaded by BlockHound's service loader when failsafe installs it (blockhound-junit-platform).
 */
public final class PeerlinkBlockHoundIntegration implements BlockHoundIntegration {
    @Override
    public void applyTo(BlockHound.Builder builder) {
        // Netty's io_uring loop spins briefly while it tears its ring down at shutdown, after the last channel closed
        builder.allowBlockingCallsInside("io.netty.channel.uring.IoUringIoHandler", "closeWakeupGate");
    }
}
