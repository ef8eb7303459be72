package io.peerlink.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.peerlink.core.Connection;
import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerStatus;
import io.peerlink.core.Role;
import io.peerlink.node.testing.PrometheusText;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MicrometerObserverTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<PeerStatus> peers = new ArrayList<>();
    private final MicrometerObserver observer = new MicrometerObserver(registry, () -> List.copyOf(peers));

    @AfterEach
    void close() {
        registry.close();
    }

    static PeerStatus peer(int n, Role role, Direction direction) {
        byte[] id = new byte[NodeId.LENGTH_BYTES];
        id[0] = (byte) n;
        return new PeerStatus(
                new Connection(
                        NodeId.of(id), role, new PeerAddress("127.0.0.1", 7000 + n), null, direction, Instant.EPOCH),
                Duration.ofMillis(n));
    }

    private Map<String, PrometheusText.Family> scrape() {
        return PrometheusText.parse(registry.scrape());
    }

    private double value(String name, Map<String, String> labels) {
        return PrometheusText.value(scrape(), name, labels);
    }

    @Test
    void handshakesByOutcomeReasonAndDirection() {
        observer.handshakeSucceeded(Direction.INBOUND, TimeUnit.MILLISECONDS.toNanos(3));
        observer.handshakeSucceeded(Direction.INBOUND, TimeUnit.MILLISECONDS.toNanos(5));
        observer.handshakeFailed(Direction.OUTBOUND, DisconnectReason.BAD_SIGNATURE, false);
        observer.handshakeFailed(Direction.OUTBOUND, DisconnectReason.BAD_SIGNATURE, true);
        observer.handshakeFailed(Direction.INBOUND, DisconnectReason.UNKNOWN_PEER, false);

        assertThat(value(
                        "peerlink_handshakes_total",
                        Map.of("outcome", "success", "direction", "inbound", "reason", "none")))
                .isEqualTo(2);
        assertThat(value(
                        "peerlink_handshakes_total",
                        Map.of("outcome", "failure", "direction", "outbound", "reason", "bad_signature")))
                .isEqualTo(2);
        assertThat(value(
                        "peerlink_handshakes_total",
                        Map.of("outcome", "failure", "direction", "inbound", "reason", "unknown_peer")))
                .isEqualTo(1);
        var families = scrape();
        assertThat(families.get("peerlink_handshake_duration_seconds").type()).isEqualTo("histogram");
        assertThat(PrometheusText.value(
                        families, "peerlink_handshake_duration_seconds_count", Map.of("direction", "inbound")))
                .isEqualTo(2);
        assertThat(PrometheusText.value(
                        families, "peerlink_handshake_duration_seconds_sum", Map.of("direction", "inbound")))
                .isCloseTo(0.008, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(PrometheusText.value(
                        families,
                        "peerlink_handshake_duration_seconds_bucket",
                        Map.of("direction", "inbound", "le", "+Inf")))
                .isEqualTo(2);
    }

    @Test
    void bytesMessagesDialsLossesLimitsDuplicates() {
        observer.bytesRead(100);
        observer.bytesRead(23);
        observer.bytesWritten(7);
        observer.messageRead("ping");
        observer.messageRead("ping");
        observer.messageWritten("pong");
        observer.messagesWritten("app", 64); // a batch from a link's outbound queue
        observer.messageWritten("app");
        observer.dialAttempt(PeerAddress.parse("127.0.0.1:1"));
        observer.dialAttempt(PeerAddress.parse("127.0.0.1:1"));
        observer.dialFailed(PeerAddress.parse("127.0.0.1:1"), DisconnectReason.CONNECTION_CLOSED);
        observer.peerLost(peer(1, Role.VALIDATOR, Direction.INBOUND).connection(), DisconnectReason.HEARTBEAT_TIMEOUT);
        observer.limitReached("max_inbound");
        observer.duplicateClosed();
        observer.peerRestarted(
                peer(1, Role.VALIDATOR, Direction.INBOUND).connection(),
                peer(1, Role.VALIDATOR, Direction.OUTBOUND).connection());

        assertThat(value("peerlink_bytes_total", Map.of("direction", "in"))).isEqualTo(123);
        assertThat(value("peerlink_bytes_total", Map.of("direction", "out"))).isEqualTo(7);
        assertThat(value("peerlink_messages_total", Map.of("direction", "in", "kind", "ping")))
                .isEqualTo(2);
        assertThat(value("peerlink_messages_total", Map.of("direction", "out", "kind", "pong")))
                .isEqualTo(1);
        assertThat(value("peerlink_messages_total", Map.of("direction", "out", "kind", "app")))
                .isEqualTo(65);
        assertThat(value("peerlink_dial_attempts_total", Map.of())).isEqualTo(2);
        assertThat(value("peerlink_dial_failures_total", Map.of("reason", "connection_closed")))
                .isEqualTo(1);
        assertThat(value("peerlink_peer_losses_total", Map.of("reason", "heartbeat_timeout")))
                .isEqualTo(1);
        assertThat(value("peerlink_limit_rejections_total", Map.of("limit", "max_inbound")))
                .isEqualTo(1);
        assertThat(value("peerlink_duplicates_closed_total", Map.of())).isEqualTo(1);
        assertThat(value("peerlink_peer_restarts_total", Map.of())).isEqualTo(1);
    }

    @Test
    void peerExchangeBudgetCooldownsRecordsAndAbuse() {
        observer.newAddressDialRefused("node");
        observer.newAddressDialRefused("global");
        observer.newAddressDialRefused("global");
        observer.addressCooledDown(PeerAddress.parse("127.0.0.1:1"), DisconnectReason.MALFORMED_FRAME);
        observer.addressRecordRejected("bad_signature");
        observer.pexAbuse(peer(1, Role.VALIDATOR, Direction.INBOUND).connection(), "too many requests");

        assertThat(value("peerlink_pex_dial_refusals_total", Map.of("scope", "node")))
                .isEqualTo(1);
        assertThat(value("peerlink_pex_dial_refusals_total", Map.of("scope", "global")))
                .isEqualTo(2);
        assertThat(value("peerlink_pex_address_cooldowns_total", Map.of("reason", "malformed_frame")))
                .isEqualTo(1);
        assertThat(value("peerlink_pex_records_rejected_total", Map.of("problem", "bad_signature")))
                .isEqualTo(1);
        assertThat(value("peerlink_pex_abuse_total", Map.of("reason", "pex_abuse")))
                .isEqualTo(1);
    }

    @Test
    void hotPathReusesMeters() {
        observer.messageRead("ping");
        Counter first = registry.find("peerlink.messages").tag("kind", "ping").counter();
        int meters = registry.getMeters().size();
        for (int i = 0; i < 1000; i++) {
            observer.messageRead("ping");
            observer.handshakeFailed(Direction.INBOUND, DisconnectReason.DUPLICATE, false);
        }
        assertThat(registry.getMeters()).hasSize(meters + 1);
        assertThat(registry.find("peerlink.messages").tag("kind", "ping").counter())
                .isSameAs(first);
        assertThat(first.count()).isEqualTo(1001);
    }

    @Test
    void connectionGaugesFollowThePeerList() {
        assertThat(value("peerlink_connections", Map.of("role", "validator", "direction", "inbound")))
                .isZero();
        peers.add(peer(1, Role.VALIDATOR, Direction.INBOUND));
        peers.add(peer(2, Role.VALIDATOR, Direction.INBOUND));
        peers.add(peer(3, Role.VALIDATOR, Direction.OUTBOUND));
        peers.add(peer(4, Role.OBSERVER, Direction.INBOUND));
        assertThat(value("peerlink_connections", Map.of("role", "validator", "direction", "inbound")))
                .isEqualTo(2);
        assertThat(value("peerlink_connections", Map.of("role", "validator", "direction", "outbound")))
                .isEqualTo(1);
        assertThat(value("peerlink_connections", Map.of("role", "observer", "direction", "inbound")))
                .isEqualTo(1);
        assertThat(value("peerlink_connections", Map.of("role", "gateway", "direction", "outbound")))
                .isZero();
        assertThat(scrape().get("peerlink_connections").type()).isEqualTo("gauge");
    }

    @Test
    void processMetersScrapeCleanly() {
        try (NodeMeterRegistry metrics = NodeMeterRegistry.create(true)) {
            new MicrometerObserver(metrics.registry(), List::of).bytesRead(1);
            var families = PrometheusText.parse(metrics.registry().scrape());
            assertThat(families)
                    .containsKeys("jvm_memory_used_bytes", "process_uptime_seconds", "peerlink_bytes_total");
        }
    }

    @Test
    void theParserIsStrict() {
        assertThatThrownBy(() -> PrometheusText.parse("x 1\n")).hasMessageContaining("no TYPE'd family");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx{a=\"1} 1\n"))
                .hasMessageContaining("unterminated");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx one\n"))
                .hasMessageContaining("value");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x histogram\nx_bucket 1\n"))
                .hasMessageContaining("no TYPE'd family");
        assertThat(PrometheusText.parse("# HELP x a \"help\"\n# TYPE x gauge\nx{a=\"q\\\"\\\\\"} -1.5e3 123\n")
                        .get("x")
                        .samples()
                        .get(0))
                .isEqualTo(new PrometheusText.Sample("x", Map.of("a", "q\"\\"), -1500));
    }
}
