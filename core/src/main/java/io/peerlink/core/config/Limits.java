package io.peerlink.core.config;

/**
 * Connection and message limits. Every limit is explicit; exceeding one refuses the connection or frame with a
 * reason and counts in the metrics.
 *
 * <pre>{@code
 * Limits limits = Limits.defaults().withMaxInbound(1024);
 * }</pre>
 *
 * @param maxInbound established inbound links
 * @param maxOutbound established outbound links
 * @param maxPendingHandshakes inbound connections accepted but not yet authenticated (checked at accept, before any
 *     TLS work)
 * @param maxPendingPerIp unauthenticated connections from one remote IP
 * @param maxConnectionsPerIp established inbound links from one remote IP
 * @param handshakeFrameBytes largest frame accepted before authentication
 * @param maxFrameBytes largest frame accepted after authentication
 * @param pexMaxEntries most entries sent or accepted in one peer-exchange answer
 * @param challengeBytes length of the random challenge this node sends (16..64)
 * @param acceptBacklog connections the kernel queues for the listener before they are accepted (a connection storm
 *     beyond it is refused by the kernel rather than queued without bound)
 * @param maxPendingOutbound dials of this node not yet authenticated: a budget of its own, so inbound strangers can
 *     never starve this node's dials to trusted validators
 * @param handshakesPerSecondPerIp new inbound connections one remote IP may open per second (token bucket refill)
 * @param handshakeBurstPerIp new inbound connections one remote IP may open at once (token bucket size)
 */
public record Limits(
        int maxInbound,
        int maxOutbound,
        int maxPendingHandshakes,
        int maxPendingPerIp,
        int maxConnectionsPerIp,
        int handshakeFrameBytes,
        int maxFrameBytes,
        int pexMaxEntries,
        int challengeBytes,
        int acceptBacklog,
        int maxPendingOutbound,
        int handshakesPerSecondPerIp,
        int handshakeBurstPerIp) {

    public Limits {
        Checks.atLeast("maxInbound", maxInbound, 0);
        Checks.atLeast("maxOutbound", maxOutbound, 0);
        Checks.atLeast("maxPendingHandshakes", maxPendingHandshakes, 1);
        Checks.atLeast("maxPendingPerIp", maxPendingPerIp, 1);
        Checks.atLeast("maxConnectionsPerIp", maxConnectionsPerIp, 1);
        Checks.atLeast("handshakeFrameBytes", handshakeFrameBytes, 256);
        Checks.atLeast("maxFrameBytes", maxFrameBytes, handshakeFrameBytes);
        Checks.atLeast("pexMaxEntries", pexMaxEntries, 0);
        Checks.between("challengeBytes", challengeBytes, 16, 64);
        Checks.atLeast("acceptBacklog", acceptBacklog, 1);
        Checks.atLeast("maxPendingOutbound", maxPendingOutbound, 1);
        Checks.atLeast("handshakesPerSecondPerIp", handshakesPerSecondPerIp, 1);
        Checks.atLeast("handshakeBurstPerIp", handshakeBurstPerIp, 1);
    }

    /** With the default outbound pending budget and per-IP handshake rate. */
    public Limits(
            int maxInbound,
            int maxOutbound,
            int maxPendingHandshakes,
            int maxPendingPerIp,
            int maxConnectionsPerIp,
            int handshakeFrameBytes,
            int maxFrameBytes,
            int pexMaxEntries,
            int challengeBytes,
            int acceptBacklog) {
        this(
                maxInbound,
                maxOutbound,
                maxPendingHandshakes,
                maxPendingPerIp,
                maxConnectionsPerIp,
                handshakeFrameBytes,
                maxFrameBytes,
                pexMaxEntries,
                challengeBytes,
                acceptBacklog,
                Defaults.MAX_PENDING_OUTBOUND,
                Defaults.HANDSHAKES_PER_SECOND_PER_IP,
                Defaults.HANDSHAKE_BURST_PER_IP);
    }

    /** With the default accept backlog. */
    public Limits(
            int maxInbound,
            int maxOutbound,
            int maxPendingHandshakes,
            int maxPendingPerIp,
            int maxConnectionsPerIp,
            int handshakeFrameBytes,
            int maxFrameBytes,
            int pexMaxEntries,
            int challengeBytes) {
        this(
                maxInbound,
                maxOutbound,
                maxPendingHandshakes,
                maxPendingPerIp,
                maxConnectionsPerIp,
                handshakeFrameBytes,
                maxFrameBytes,
                pexMaxEntries,
                challengeBytes,
                Defaults.ACCEPT_BACKLOG);
    }

    public static Limits defaults() {
        return new Limits(
                Defaults.MAX_INBOUND,
                Defaults.MAX_OUTBOUND,
                Defaults.MAX_PENDING_HANDSHAKES,
                Defaults.MAX_PENDING_PER_IP,
                Defaults.MAX_CONNECTIONS_PER_IP,
                Defaults.HANDSHAKE_FRAME_BYTES,
                Defaults.MAX_FRAME_BYTES,
                Defaults.PEX_MAX_ENTRIES,
                Defaults.CHALLENGE_BYTES,
                Defaults.ACCEPT_BACKLOG,
                Defaults.MAX_PENDING_OUTBOUND,
                Defaults.HANDSHAKES_PER_SECOND_PER_IP,
                Defaults.HANDSHAKE_BURST_PER_IP);
    }

    public Limits withMaxInbound(int v) {
        return new Limits(
                v,
                maxOutbound,
                maxPendingHandshakes,
                maxPendingPerIp,
                maxConnectionsPerIp,
                handshakeFrameBytes,
                maxFrameBytes,
                pexMaxEntries,
                challengeBytes,
                acceptBacklog,
                maxPendingOutbound,
                handshakesPerSecondPerIp,
                handshakeBurstPerIp);
    }

    public Limits withMaxOutbound(int v) {
        return new Limits(
                maxInbound,
                v,
                maxPendingHandshakes,
                maxPendingPerIp,
                maxConnectionsPerIp,
                handshakeFrameBytes,
                maxFrameBytes,
                pexMaxEntries,
                challengeBytes,
                acceptBacklog,
                maxPendingOutbound,
                handshakesPerSecondPerIp,
                handshakeBurstPerIp);
    }

    public Limits withMaxPendingHandshakes(int v) {
        return new Limits(
                maxInbound,
                maxOutbound,
                v,
                maxPendingPerIp,
                maxConnectionsPerIp,
                handshakeFrameBytes,
                maxFrameBytes,
                pexMaxEntries,
                challengeBytes,
                acceptBacklog,
                maxPendingOutbound,
                handshakesPerSecondPerIp,
                handshakeBurstPerIp);
    }

    public Limits withMaxFrameBytes(int v) {
        return new Limits(
                maxInbound,
                maxOutbound,
                maxPendingHandshakes,
                maxPendingPerIp,
                maxConnectionsPerIp,
                handshakeFrameBytes,
                v,
                pexMaxEntries,
                challengeBytes,
                acceptBacklog,
                maxPendingOutbound,
                handshakesPerSecondPerIp,
                handshakeBurstPerIp);
    }

    public Limits withPerIp(int pending, int established) {
        return new Limits(
                maxInbound,
                maxOutbound,
                maxPendingHandshakes,
                pending,
                established,
                handshakeFrameBytes,
                maxFrameBytes,
                pexMaxEntries,
                challengeBytes,
                acceptBacklog,
                maxPendingOutbound,
                handshakesPerSecondPerIp,
                handshakeBurstPerIp);
    }

    public Limits withAcceptBacklog(int v) {
        return new Limits(
                maxInbound,
                maxOutbound,
                maxPendingHandshakes,
                maxPendingPerIp,
                maxConnectionsPerIp,
                handshakeFrameBytes,
                maxFrameBytes,
                pexMaxEntries,
                challengeBytes,
                v,
                maxPendingOutbound,
                handshakesPerSecondPerIp,
                handshakeBurstPerIp);
    }

    public Limits withMaxPendingOutbound(int v) {
        return new Limits(
                maxInbound,
                maxOutbound,
                maxPendingHandshakes,
                maxPendingPerIp,
                maxConnectionsPerIp,
                handshakeFrameBytes,
                maxFrameBytes,
                pexMaxEntries,
                challengeBytes,
                acceptBacklog,
                v,
                handshakesPerSecondPerIp,
                handshakeBurstPerIp);
    }

    /** New inbound connections per remote IP: {@code perSecond} on average, {@code burst} at once. */
    public Limits withHandshakeRatePerIp(int perSecond, int burst) {
        return new Limits(
                maxInbound,
                maxOutbound,
                maxPendingHandshakes,
                maxPendingPerIp,
                maxConnectionsPerIp,
                handshakeFrameBytes,
                maxFrameBytes,
                pexMaxEntries,
                challengeBytes,
                acceptBacklog,
                maxPendingOutbound,
                perSecond,
                burst);
    }
}
