package io.peerlink.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerlink.core.ConfigException;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigRecordsTest {

    static final Duration MS100 = Duration.ofMillis(100);
    static final Duration S1 = Duration.ofSeconds(1);

    @Test
    void defaultsAreValidAndMatchTheDefaultsClass() {
        Limits limits = Limits.defaults();
        assertThat(limits.maxInbound()).isEqualTo(Defaults.MAX_INBOUND);
        assertThat(limits.challengeBytes()).isEqualTo(Defaults.CHALLENGE_BYTES);
        assertThat(Timeouts.defaults().handshake()).isEqualTo(Duration.ofSeconds(2));
        assertThat(HeartbeatConfig.defaults().detectionBound()).isEqualTo(Duration.ofSeconds(4));
        assertThat(DialPolicy.defaults().maxAttempts()).isEqualTo(Defaults.DIAL_MAX_ATTEMPTS);
    }

    @Test
    void limitsRejectBadValues() {
        Limits d = Limits.defaults();
        assertConfigError(() -> d.withMaxInbound(-1), "maxInbound: -1 (expected: >= 0)");
        assertConfigError(() -> d.withMaxOutbound(-5), "maxOutbound: -5 (expected: >= 0)");
        assertConfigError(() -> d.withMaxPendingHandshakes(0), "maxPendingHandshakes: 0 (expected: >= 1)");
        assertConfigError(() -> d.withPerIp(0, 1), "maxPendingPerIp: 0 (expected: >= 1)");
        assertConfigError(() -> d.withPerIp(1, 0), "maxConnectionsPerIp: 0 (expected: >= 1)");
        assertConfigError(() -> d.withMaxFrameBytes(100), "maxFrameBytes: 100 (expected: >= 1024)");
        assertConfigError(
                () -> new Limits(1, 1, 1, 1, 1, 255, 4096, 0, 32), "handshakeFrameBytes: 255 (expected: >= 256)");
        assertConfigError(() -> new Limits(1, 1, 1, 1, 1, 256, 4096, -1, 32), "pexMaxEntries: -1 (expected: >= 0)");
        assertConfigError(() -> new Limits(1, 1, 1, 1, 1, 256, 4096, 0, 15), "challengeBytes: 15 (expected: 16..64)");
        assertConfigError(() -> new Limits(1, 1, 1, 1, 1, 256, 4096, 0, 65), "challengeBytes: 65 (expected: 16..64)");
        assertConfigError(() -> d.withMaxPendingOutbound(0), "maxPendingOutbound: 0 (expected: >= 1)");
        assertConfigError(() -> d.withHandshakeRatePerIp(0, 1), "handshakesPerSecondPerIp: 0 (expected: >= 1)");
        assertConfigError(() -> d.withHandshakeRatePerIp(1, 0), "handshakeBurstPerIp: 0 (expected: >= 1)");
    }

    @Test
    void limitsWithersChangeOneValue() {
        Limits l = Limits.defaults().withMaxInbound(7).withMaxOutbound(3).withPerIp(2, 5);
        assertThat(l.maxInbound()).isEqualTo(7);
        assertThat(l.maxOutbound()).isEqualTo(3);
        assertThat(l.maxPendingPerIp()).isEqualTo(2);
        assertThat(l.maxConnectionsPerIp()).isEqualTo(5);
        assertThat(l.maxFrameBytes()).isEqualTo(Defaults.MAX_FRAME_BYTES);
    }

    @Test
    void timeoutsRejectZeroNegativeAndNull() {
        assertConfigError(() -> new Timeouts(Duration.ZERO, S1, S1), "handshake: PT0S (expected: > 0)");
        assertConfigError(() -> new Timeouts(S1, Duration.ofMillis(-1), S1), "connect: PT-0.001S (expected: > 0)");
        assertConfigError(() -> new Timeouts(S1, S1, null), "shutdownGrace: null (expected: > 0)");
    }

    @Test
    void heartbeatRejectsBadValues() {
        assertConfigError(() -> new HeartbeatConfig(Duration.ZERO, 3), "heartbeat.interval: PT0S (expected: > 0)");
        assertConfigError(() -> new HeartbeatConfig(S1, 0), "heartbeat.missesAllowed: 0 (expected: >= 1)");
        assertThat(new HeartbeatConfig(Duration.ofMillis(500), 3).detectionBound())
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void dialPolicyRejectsBadValues() {
        assertConfigError(() -> new DialPolicy(0, MS100, S1, 0.5, S1), "dial.maxAttempts: 0 (expected: >= 1)");
        assertConfigError(() -> new DialPolicy(1, Duration.ZERO, S1, 0.5, S1), "dial.minBackoff: PT0S (expected: > 0)");
        assertConfigError(() -> new DialPolicy(1, MS100, null, 0.5, S1), "dial.maxBackoff: null (expected: > 0)");
        assertConfigError(
                () -> new DialPolicy(1, MS100, S1, 0.5, Duration.ZERO), "dial.redialInterval: PT0S (expected: > 0)");
        assertConfigError(
                () -> new DialPolicy(1, S1, MS100, 0.5, S1),
                "dial.maxBackoff: PT0.1S (expected: >= dial.minBackoff PT1S)");
        assertConfigError(() -> new DialPolicy(1, MS100, S1, -0.1, S1), "dial.jitter: -0.1 (expected: 0..1)");
        assertConfigError(() -> new DialPolicy(1, MS100, S1, 1.5, S1), "dial.jitter: 1.5 (expected: 0..1)");
        assertConfigError(() -> new DialPolicy(1, MS100, S1, Double.NaN, S1), "dial.jitter: NaN (expected: 0..1)");
        assertThat(new DialPolicy(1, S1, S1, 0, S1).jitter()).isZero();
        assertThat(new DialPolicy(1, S1, S1, 1, S1).jitter()).isOne();
    }

    @Test
    void nodeConfigBuilderHasDefaults() {
        NodeConfig cfg = NodeConfig.builder().build();
        assertThat(cfg.role()).isEqualTo(Role.VALIDATOR);
        assertThat(cfg.listen()).isNull();
        assertThat(cfg.advertise()).isNull();
        assertThat(cfg.seeds()).isEmpty();
        assertThat(cfg.limits()).isEqualTo(Limits.defaults());
        assertThat(cfg.transportSecurity()).isEqualTo(TransportSecurity.TLS);
        assertThat(cfg.pexInterval()).isEqualTo(Defaults.PEX_INTERVAL);
    }

    @Test
    void advertiseIsLeftUnsetSoTheNodeCanUseItsBoundAddress() {
        PeerAddress listen = PeerAddress.parse("0.0.0.0:7000");
        PeerAddress advertise = PeerAddress.parse("10.0.0.1:7000");

        assertThat(NodeConfig.builder().listen(listen).build().advertise()).isNull();
        assertThat(NodeConfig.builder()
                        .listen(listen)
                        .advertise(advertise)
                        .build()
                        .advertise())
                .isEqualTo(advertise);
    }

    @Test
    void seedsAreCopiedAndImmutable() {
        List<PeerAddress> seeds = new ArrayList<>(List.of(PeerAddress.parse("a:1")));
        NodeConfig cfg =
                NodeConfig.builder().seeds(seeds).seed(PeerAddress.parse("b:2")).build();
        seeds.add(PeerAddress.parse("c:3"));

        assertThat(cfg.seeds()).containsExactly(PeerAddress.parse("a:1"), PeerAddress.parse("b:2"));
        assertThatThrownBy(() -> cfg.seeds().add(PeerAddress.parse("d:4")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toBuilderRoundTrips() {
        NodeConfig cfg = NodeConfig.builder()
                .role(Role.OBSERVER)
                .listen(PeerAddress.parse("127.0.0.1:7000"))
                .seed(PeerAddress.parse("127.0.0.1:7001"))
                .transportSecurity(TransportSecurity.PLAINTEXT)
                .pexInterval(Duration.ofSeconds(3))
                .build();

        assertThat(cfg.toBuilder().build()).isEqualTo(cfg);
        assertThat(cfg.toBuilder().role(Role.GATEWAY).build().role()).isEqualTo(Role.GATEWAY);
    }

    @Test
    void nodeConfigRejectsBadValues() {
        assertConfigError(
                () -> NodeConfig.builder().pexInterval(Duration.ZERO).build(), "pexInterval: PT0S (expected: > 0)");
        assertThatThrownBy(() -> NodeConfig.builder().role(null)).hasMessage("role");
        assertThatThrownBy(() -> NodeConfig.builder().seed(null)).hasMessage("seed");
    }

    @Test
    void pexPolicyRejectsBadValuesAndDefaultsToTheDocumentedNumbers() {
        PexPolicy d = PexPolicy.defaults();
        assertThat(NodeConfig.builder().build().pex()).isEqualTo(d);
        assertThat(d.maxRequestsPerMinute()).isEqualTo(120);
        assertThat(d.newAddressDialsPerMinute()).isEqualTo(120);
        assertThat(d.newAddressDialsPerNodePerMinute()).isEqualTo(3);
        assertConfigError(() -> d.withLinkLimits(0, 1, 4096), "pex.maxRequestsPerMinute: 0 (expected: >= 1)");
        assertConfigError(() -> d.withLinkLimits(1, -1, 4096), "pex.maxAnnouncementsPerMinute: -1 (expected: >= 0)");
        assertConfigError(() -> d.withLinkLimits(1, 1, 100), "pex.maxAnswerBytes: 100 (expected: >= 1024)");
        assertConfigError(() -> d.withNewAddressDials(0, 1), "pex.newAddressDialsPerMinute: 0 (expected: >= 1)");
        assertConfigError(() -> d.withNewAddressDials(5, 6), "pex.newAddressDialsPerNodePerMinute: 6 (expected: 1..5)");
        assertConfigError(
                () -> d.withNotPeerlinkCooldown(Duration.ZERO), "pex.notPeerlinkCooldown: PT0S (expected: > 0)");
        assertConfigError(() -> d.withBanDuration(Duration.ofSeconds(-1)), "pex.banDuration: PT-1S (expected: > 0)");
        assertThatThrownBy(() -> NodeConfig.builder().pex(null)).hasMessage("pex");
        // a node's own request rate must fit its limit, or peers configured alike would ban each other
        assertThat(NodeConfig.builder()
                        .pexInterval(Duration.ofSeconds(1))
                        .build()
                        .pexRequestsPerMinute())
                .isEqualTo(60);
        // requests go out on maintenance ticks of min(1 s, redial interval): 500 ms needs ticks of 100 ms
        assertThat(NodeConfig.builder()
                        .pexInterval(Duration.ofMillis(500))
                        .build()
                        .pexRequestsPerMinute())
                .isEqualTo(60);
        DialPolicy fastTicks =
                new DialPolicy(8, Duration.ofMillis(100), Duration.ofSeconds(10), 0.5, Duration.ofMillis(100));
        assertConfigError(
                () -> NodeConfig.builder()
                        .dial(fastTicks)
                        .pexInterval(Duration.ofMillis(500))
                        .build(),
                "pex.maxRequestsPerMinute: 120 (expected: >= 180, 1.5 × the peer-exchange requests per minute that "
                        + "pexInterval PT0.5S makes; peers asking as often would be banned)");
        assertThat(NodeConfig.builder()
                        .dial(fastTicks)
                        .pexInterval(Duration.ofMillis(500))
                        .pex(d.withLinkLimits(180, 256, 256 * 1024))
                        .build()
                        .pexRequestsPerMinute())
                .isEqualTo(120);
    }

    private static void assertConfigError(Runnable r, String message) {
        assertThatThrownBy(r::run).isInstanceOf(ConfigException.class).hasMessage(message);
    }
}
