package io.peerlink.core.config;

import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything a node needs besides its identity and trust registry.
 *
 * <pre>{@code
 * NodeConfig cfg = NodeConfig.builder()
 *     .role(Role.VALIDATOR)
 *     .listen(PeerAddress.parse("127.0.0.1:7000"))
 *     .seed(PeerAddress.parse("127.0.0.1:7001"))
 *     .build();
 * }</pre>
 *
 * @param role this node's role (must match its entry in the trust registry)
 * @param listen where to accept connections; null for a node that only dials
 * @param advertise the address other nodes should dial; null means the bound listen address
 * @param seeds addresses dialed at start and when every peer is lost
 * @param transportSecurity mutual TLS 1.3 with identity certificates (default) or plaintext
 * @param pexInterval how often validators ask each other for validator endpoints
 * @param pex peer-exchange limits per link and the budget for dialing learned addresses
 */
public record NodeConfig(
        Role role,
        @Nullable PeerAddress listen,
        @Nullable PeerAddress advertise,
        List<PeerAddress> seeds,
        Limits limits,
        Timeouts timeouts,
        HeartbeatConfig heartbeat,
        DialPolicy dial,
        TransportSecurity transportSecurity,
        Duration pexInterval,
        PexPolicy pex,
        List<io.peerlink.core.NodeId> banned) {

    public NodeConfig {
        Objects.requireNonNull(role, "role");
        seeds = List.copyOf(seeds);
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(dial, "dial");
        Objects.requireNonNull(transportSecurity, "transportSecurity");
        Checks.positive("pexInterval", pexInterval);
        Objects.requireNonNull(pex, "pex");
        banned = List.copyOf(banned);
        long needed = (long) Math.ceil(1.5 * requestsPerMinute(pexInterval, dial.redialInterval()));
        if (pex.maxRequestsPerMinute() < needed) {
            throw new io.peerlink.core.ConfigException("pex.maxRequestsPerMinute: " + pex.maxRequestsPerMinute()
                    + " (expected: >= " + needed + ", 1.5 × the peer-exchange requests per minute that pexInterval "
                    + pexInterval + " makes; peers asking as often would be banned)");
        }
    }

    /**
     * Peer-exchange requests this node sends on each validator link per minute: one every {@code pexInterval},
     * rounded down to whole maintenance ticks of {@code min(1 s, dial.redialInterval)}.
     */
    public double pexRequestsPerMinute() {
        return requestsPerMinute(pexInterval, dial.redialInterval());
    }

    private static double requestsPerMinute(Duration pexInterval, Duration redialInterval) {
        long tick = Math.max(1, Math.min(1000, redialInterval.toMillis()));
        long every = Math.max(1, pexInterval.toMillis() / tick) * tick;
        return 60_000.0 / every;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this config. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.role = role;
        b.listen = listen;
        b.advertise = advertise;
        b.seeds.addAll(seeds);
        b.limits = limits;
        b.timeouts = timeouts;
        b.heartbeat = heartbeat;
        b.dial = dial;
        b.transportSecurity = transportSecurity;
        b.pexInterval = pexInterval;
        b.pex = pex;
        b.banned.addAll(banned);
        return b;
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private Role role = Role.VALIDATOR;
        private @Nullable PeerAddress listen;
        private @Nullable PeerAddress advertise;
        private final List<PeerAddress> seeds = new ArrayList<>();
        private Limits limits = Limits.defaults();
        private Timeouts timeouts = Timeouts.defaults();
        private HeartbeatConfig heartbeat = HeartbeatConfig.defaults();
        private DialPolicy dial = DialPolicy.defaults();
        private TransportSecurity transportSecurity = TransportSecurity.TLS;
        private Duration pexInterval = Defaults.PEX_INTERVAL;
        private PexPolicy pex = PexPolicy.defaults();
        private final List<io.peerlink.core.NodeId> banned = new ArrayList<>();

        Builder() {}

        public Builder role(Role role) {
            this.role = Objects.requireNonNull(role, "role");
            return this;
        }

        public Builder listen(@Nullable PeerAddress listen) {
            this.listen = listen;
            return this;
        }

        public Builder advertise(@Nullable PeerAddress advertise) {
            this.advertise = advertise;
            return this;
        }

        public Builder seed(PeerAddress seed) {
            seeds.add(Objects.requireNonNull(seed, "seed"));
            return this;
        }

        public Builder seeds(List<PeerAddress> seeds) {
            this.seeds.clear();
            this.seeds.addAll(seeds);
            return this;
        }

        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public Builder timeouts(Timeouts timeouts) {
            this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
            return this;
        }

        public Builder heartbeat(HeartbeatConfig heartbeat) {
            this.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat");
            return this;
        }

        public Builder dial(DialPolicy dial) {
            this.dial = Objects.requireNonNull(dial, "dial");
            return this;
        }

        public Builder transportSecurity(TransportSecurity transportSecurity) {
            this.transportSecurity = Objects.requireNonNull(transportSecurity, "transportSecurity");
            return this;
        }

        public Builder pexInterval(Duration pexInterval) {
            this.pexInterval = Objects.requireNonNull(pexInterval, "pexInterval");
            return this;
        }

        public Builder pex(PexPolicy pex) {
            this.pex = Objects.requireNonNull(pex, "pex");
            return this;
        }

        /**
         * Node ids refused ({@code BANNED}) for as long as this config runs, whatever the trust registry says; the
         * operator's ban list. Temporary bans (peer-exchange abuse, the admin endpoint) come on top.
         */
        public Builder banned(List<io.peerlink.core.NodeId> banned) {
            this.banned.clear();
            this.banned.addAll(banned);
            return this;
        }

        public NodeConfig build() {
            return new NodeConfig(
                    role,
                    listen,
                    advertise,
                    seeds,
                    limits,
                    timeouts,
                    heartbeat,
                    dial,
                    transportSecurity,
                    pexInterval,
                    pex,
                    banned);
        }
    }
}
