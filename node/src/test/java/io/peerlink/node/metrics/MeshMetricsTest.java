package io.peerlink.node.metrics;

import static io.peerlink.node.metrics.MicrometerObserverTest.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.peerlink.core.Connection;
import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerStatus;
import io.peerlink.core.Role;
import io.peerlink.core.trust.InMemoryTrustRegistry;
import io.peerlink.node.testing.PrometheusText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The mesh completeness gauges, build info and the loss-detection histogram, as Prometheus scrapes them. */
class MeshMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<PeerStatus> peers = new ArrayList<>();

    @AfterEach
    void close() {
        registry.close();
    }

    private Map<String, PrometheusText.Family> scrape() {
        return PrometheusText.parse(registry.scrape());
    }

    private double gauge(String name) {
        return PrometheusText.value(scrape(), name, Map.of());
    }

    private static NodeId id(int n) {
        return peer(n, Role.VALIDATOR, Direction.INBOUND).connection().peer();
    }

    @Test
    void expectedCountsOtherValidatorsAndConnectedCountsTrustedValidatorLinks() {
        NodeId self = id(0);
        Map<NodeId, Role> table = new HashMap<>();
        table.put(self, Role.VALIDATOR);
        table.put(id(1), Role.VALIDATOR);
        table.put(id(2), Role.VALIDATOR);
        table.put(id(3), Role.VALIDATOR);
        table.put(id(4), Role.OBSERVER);
        InMemoryTrustRegistry trust = new InMemoryTrustRegistry(table);
        MeshMetrics.bind(registry, self, trust, () -> List.copyOf(peers));

        assertThat(gauge("peerlink_mesh_validators_expected")).isEqualTo(3);
        assertThat(gauge("peerlink_mesh_validators_connected")).isZero();

        peers.add(peer(1, Role.VALIDATOR, Direction.INBOUND));
        peers.add(peer(2, Role.VALIDATOR, Direction.OUTBOUND));
        peers.add(peer(4, Role.OBSERVER, Direction.INBOUND)); // not a validator: never counted
        assertThat(gauge("peerlink_mesh_validators_connected")).isEqualTo(2);

        peers.add(peer(3, Role.VALIDATOR, Direction.OUTBOUND));
        assertThat(gauge("peerlink_mesh_validators_connected")).isEqualTo(3); // whole

        // revoked while its link is still closing: neither expected nor connected any more
        trust.revoke(id(3));
        assertThat(gauge("peerlink_mesh_validators_expected")).isEqualTo(2);
        assertThat(gauge("peerlink_mesh_validators_connected")).isEqualTo(2);

        // a validator added to the trust file is expected at once, before any link
        trust.put(id(5), Role.VALIDATOR);
        assertThat(gauge("peerlink_mesh_validators_expected")).isEqualTo(3);
        assertThat(gauge("peerlink_mesh_validators_connected")).isEqualTo(2);
    }

    @Test
    void buildInfoIsOneWithVersionAndJvmLabels() {
        BuildInfo.bind(registry, "1.2.3");
        var families = scrape();
        assertThat(families.get("peerlink_build_info").type()).isEqualTo("gauge");
        assertThat(PrometheusText.value(
                        families,
                        "peerlink_build_info",
                        Map.of("version", "1.2.3", "java", System.getProperty("java.version"))))
                .isEqualTo(1);
        assertThat(BuildInfo.version()).isNotBlank();
    }

    @Test
    void lossDetectionIsAHistogramByReason() {
        MicrometerObserver observer = new MicrometerObserver(registry, () -> List.copyOf(peers));
        Connection c = peer(1, Role.VALIDATOR, Direction.OUTBOUND).connection();
        observer.lossDetected(c, DisconnectReason.HEARTBEAT_TIMEOUT, TimeUnit.MILLISECONDS.toNanos(3000));
        observer.lossDetected(c, DisconnectReason.HEARTBEAT_TIMEOUT, TimeUnit.MILLISECONDS.toNanos(3500));
        observer.lossDetected(c, DisconnectReason.CONNECTION_CLOSED, TimeUnit.MILLISECONDS.toNanos(200));

        var families = scrape();
        assertThat(families.get("peerlink_loss_detection_seconds").type()).isEqualTo("histogram");
        Map<String, String> hb = Map.of("reason", "heartbeat_timeout");
        assertThat(PrometheusText.value(families, "peerlink_loss_detection_seconds_count", hb))
                .isEqualTo(2);
        assertThat(PrometheusText.value(families, "peerlink_loss_detection_seconds_sum", hb))
                .isCloseTo(6.5, Offset.offset(1e-9));
        assertThat(PrometheusText.value(
                        families, "peerlink_loss_detection_seconds_count", Map.of("reason", "connection_closed")))
                .isEqualTo(1);
        // buckets let an alert ask "how many losses took longer than N seconds"
        Map<String, String> inf = new HashMap<>(hb);
        inf.put("le", "+Inf");
        assertThat(PrometheusText.value(families, "peerlink_loss_detection_seconds_bucket", inf))
                .isEqualTo(2);
    }
}
