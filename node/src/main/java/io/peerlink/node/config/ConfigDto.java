package io.peerlink.node.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The config file as written: every key optional and untyped beyond TOML's own types. Field names are the file's
 * kebab-case keys; {@link ConfigLoader} validates and maps it.
 */
record ConfigDto(
        @Nullable String role,
        @Nullable String key,
        @Nullable String trust,
        @Nullable String listen,
        @Nullable String advertise,
        @Nullable List<String> seeds,
        @Nullable String admin,
        @JsonProperty("admin-token") @Nullable String adminToken,
        @Nullable String transport,
        @JsonProperty("native-transport") @Nullable String nativeTransport,
        @JsonProperty("tls-provider") @Nullable String tlsProvider,
        @JsonProperty("pex-interval") @Nullable String pexInterval,
        @JsonProperty("log-level") @Nullable String logLevel,
        @JsonProperty("log-format") @Nullable String logFormat,
        @JsonProperty("trust-settle") @Nullable String trustSettle,
        @JsonProperty("admin-idle-timeout") @Nullable String adminIdleTimeout,
        @JsonProperty("admin-request-timeout") @Nullable String adminRequestTimeout,
        @JsonProperty("admin-max-connections") @Nullable Integer adminMaxConnections,
        @JsonProperty("admin-actions") @Nullable Boolean adminActions,
        @JsonProperty("attach-to") @Nullable Integer attachTo,
        @Nullable List<String> ban,
        @Nullable LimitsDto limits,
        @Nullable TimeoutsDto timeouts,
        @Nullable HeartbeatDto heartbeat,
        @Nullable DialDto dial,
        @Nullable PexDto pex) {

    static final ConfigDto EMPTY = new ConfigDto(
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null);

    record LimitsDto(
            @JsonProperty("max-inbound") @Nullable Integer maxInbound,
            @JsonProperty("max-outbound") @Nullable Integer maxOutbound,

            @JsonProperty("max-pending-handshakes") @Nullable
            Integer maxPendingHandshakes,

            @JsonProperty("max-pending-per-ip") @Nullable Integer maxPendingPerIp,

            @JsonProperty("max-connections-per-ip") @Nullable
            Integer maxConnectionsPerIp,

            @JsonProperty("handshake-frame-bytes") @Nullable Integer handshakeFrameBytes,
            @JsonProperty("max-frame-bytes") @Nullable Integer maxFrameBytes,
            @JsonProperty("pex-max-entries") @Nullable Integer pexMaxEntries,
            @JsonProperty("challenge-bytes") @Nullable Integer challengeBytes,
            @JsonProperty("accept-backlog") @Nullable Integer acceptBacklog,
            @JsonProperty("max-pending-outbound") @Nullable Integer maxPendingOutbound,

            @JsonProperty("handshakes-per-second-per-ip") @Nullable
            Integer handshakesPerSecondPerIp,

            @JsonProperty("handshake-burst-per-ip") @Nullable
            Integer handshakeBurstPerIp) {}

    record TimeoutsDto(
            @Nullable String handshake,
            @Nullable String connect,
            @JsonProperty("shutdown-grace") @Nullable String shutdownGrace) {}

    record HeartbeatDto(@Nullable String interval, @Nullable Integer misses) {}

    record DialDto(
            @JsonProperty("max-attempts") @Nullable Integer maxAttempts,
            @JsonProperty("min-backoff") @Nullable String minBackoff,
            @JsonProperty("max-backoff") @Nullable String maxBackoff,
            @Nullable Double jitter,
            @JsonProperty("redial-interval") @Nullable String redialInterval,
            @JsonProperty("mesh-dials-in-flight") @Nullable Integer meshDialsInFlight) {}

    record PexDto(
            @JsonProperty("max-requests-per-minute") @Nullable
            Integer maxRequestsPerMinute,

            @JsonProperty("max-announcements-per-minute") @Nullable
            Integer maxAnnouncementsPerMinute,

            @JsonProperty("max-answer-bytes") @Nullable Integer maxAnswerBytes,

            @JsonProperty("new-address-dials-per-minute") @Nullable
            Integer newAddressDialsPerMinute,

            @JsonProperty("new-address-dials-per-node-per-minute") @Nullable
            Integer newAddressDialsPerNodePerMinute,

            @JsonProperty("not-peerlink-cooldown") @Nullable String notPeerlinkCooldown,
            @JsonProperty("ban-duration") @Nullable String banDuration) {}
}
