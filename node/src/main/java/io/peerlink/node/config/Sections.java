package io.peerlink.node.config;

import io.peerlink.core.config.Defaults;
import io.peerlink.core.config.DialPolicy;
import io.peerlink.core.config.HeartbeatConfig;
import io.peerlink.core.config.Limits;
import io.peerlink.core.config.PexPolicy;
import io.peerlink.core.config.Timeouts;
import io.peerlink.node.admin.AdminLimits;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Maps the {@code [limits]}, {@code [timeouts]}, {@code [heartbeat]}, {@code [dial]} and {@code [pex]} tables to core
 * records.
 */
final class Sections {
    private Sections() {}

    static Limits limits(ConfigLoader.Mapper m, ConfigDto.@Nullable LimitsDto d) {
        if (d == null) {
            return Limits.defaults();
        }
        return m.section(
                "limits",
                () -> new Limits(
                        or(d.maxInbound(), Defaults.MAX_INBOUND),
                        or(d.maxOutbound(), Defaults.MAX_OUTBOUND),
                        or(d.maxPendingHandshakes(), Defaults.MAX_PENDING_HANDSHAKES),
                        or(d.maxPendingPerIp(), Defaults.MAX_PENDING_PER_IP),
                        or(d.maxConnectionsPerIp(), Defaults.MAX_CONNECTIONS_PER_IP),
                        or(d.handshakeFrameBytes(), Defaults.HANDSHAKE_FRAME_BYTES),
                        or(d.maxFrameBytes(), Defaults.MAX_FRAME_BYTES),
                        or(d.pexMaxEntries(), Defaults.PEX_MAX_ENTRIES),
                        or(d.challengeBytes(), Defaults.CHALLENGE_BYTES),
                        or(d.acceptBacklog(), Defaults.ACCEPT_BACKLOG),
                        or(d.maxPendingOutbound(), Defaults.MAX_PENDING_OUTBOUND),
                        or(d.handshakesPerSecondPerIp(), Defaults.HANDSHAKES_PER_SECOND_PER_IP),
                        or(d.handshakeBurstPerIp(), Defaults.HANDSHAKE_BURST_PER_IP)));
    }

    static Timeouts timeouts(ConfigLoader.Mapper m, ConfigDto.@Nullable TimeoutsDto d) {
        if (d == null) {
            return Timeouts.defaults();
        }
        Duration handshake = m.or("timeouts.handshake", d.handshake(), Durations::parse, Defaults.HANDSHAKE_TIMEOUT);
        Duration connect = m.or("timeouts.connect", d.connect(), Durations::parse, Defaults.CONNECT_TIMEOUT);
        Duration grace = m.or("timeouts.shutdown-grace", d.shutdownGrace(), Durations::parse, Defaults.SHUTDOWN_GRACE);
        return m.section("timeouts", () -> new Timeouts(handshake, connect, grace));
    }

    static HeartbeatConfig heartbeat(ConfigLoader.Mapper m, ConfigDto.@Nullable HeartbeatDto d) {
        if (d == null) {
            return HeartbeatConfig.defaults();
        }
        Duration interval = m.or("heartbeat.interval", d.interval(), Durations::parse, Defaults.HEARTBEAT_INTERVAL);
        int misses = or(d.misses(), Defaults.HEARTBEAT_MISSES);
        return m.section("heartbeat", () -> new HeartbeatConfig(interval, misses));
    }

    static DialPolicy dial(ConfigLoader.Mapper m, ConfigDto.@Nullable DialDto d) {
        if (d == null) {
            return DialPolicy.defaults();
        }
        int attempts = or(d.maxAttempts(), Defaults.DIAL_MAX_ATTEMPTS);
        Duration min = m.or("dial.min-backoff", d.minBackoff(), Durations::parse, Defaults.DIAL_MIN_BACKOFF);
        Duration max = m.or("dial.max-backoff", d.maxBackoff(), Durations::parse, Defaults.DIAL_MAX_BACKOFF);
        double jitter = d.jitter() != null ? d.jitter() : Defaults.DIAL_JITTER;
        Duration redial = m.or("dial.redial-interval", d.redialInterval(), Durations::parse, Defaults.REDIAL_INTERVAL);
        int meshDials = or(d.meshDialsInFlight(), Defaults.MESH_DIALS_IN_FLIGHT);
        return m.section("dial", () -> new DialPolicy(attempts, min, max, jitter, redial, meshDials));
    }

    /** The top-level {@code admin-*} limits; messages name them as written, e.g. {@code admin-idle-timeout}. */
    static AdminLimits admin(ConfigLoader.Mapper m, ConfigDto d) {
        Duration idle =
                m.or("admin-idle-timeout", d.adminIdleTimeout(), Durations::parse, AdminLimits.DEFAULT_IDLE_TIMEOUT);
        Duration request = m.or(
                "admin-request-timeout",
                d.adminRequestTimeout(),
                Durations::parse,
                AdminLimits.DEFAULT_REQUEST_TIMEOUT);
        int max = or(d.adminMaxConnections(), AdminLimits.DEFAULT_MAX_CONNECTIONS);
        return m.section("", () -> new AdminLimits(idle, request, max));
    }

    static PexPolicy pex(ConfigLoader.Mapper m, ConfigDto.@Nullable PexDto d) {
        if (d == null) {
            return PexPolicy.defaults();
        }
        Duration cooldown = m.or(
                "pex.not-peerlink-cooldown", d.notPeerlinkCooldown(), Durations::parse, Defaults.NOT_PEERLINK_COOLDOWN);
        Duration ban = m.or("pex.ban-duration", d.banDuration(), Durations::parse, Defaults.BAN_DURATION);
        return m.section(
                "pex",
                () -> new PexPolicy(
                        or(d.maxRequestsPerMinute(), Defaults.PEX_MAX_REQUESTS_PER_MINUTE),
                        or(d.maxAnnouncementsPerMinute(), Defaults.PEX_MAX_ANNOUNCEMENTS_PER_MINUTE),
                        or(d.maxAnswerBytes(), Defaults.PEX_MAX_ANSWER_BYTES),
                        or(d.newAddressDialsPerMinute(), Defaults.NEW_ADDRESS_DIALS_PER_MINUTE),
                        or(d.newAddressDialsPerNodePerMinute(), Defaults.NEW_ADDRESS_DIALS_PER_NODE_PER_MINUTE),
                        cooldown,
                        ban));
    }

    private static int or(@Nullable Integer v, int fallback) {
        return v != null ? v : fallback;
    }

    /** {@code maxInbound} to {@code max-inbound}; the heartbeat's {@code missesAllowed} is {@code misses}. */
    static String kebab(String camel) {
        if (camel.equals("missesAllowed")) {
            return "misses";
        }
        if (camel.equals("idleTimeout") || camel.equals("requestTimeout") || camel.equals("maxConnections")) {
            return "admin-" + kebabOf(camel); // the admin limits are top-level keys named admin-*
        }
        return kebabOf(camel);
    }

    private static String kebabOf(String camel) {
        StringBuilder sb = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                sb.append('-').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
