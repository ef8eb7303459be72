package io.peerlink.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerlink.core.NodeId;
import io.peerlink.core.identity.KeyFiles;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.node.testing.PrometheusText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three validators run from config files as separate processes: they mesh, serve admin HTTP, and one of them
 * stops cleanly on SIGTERM while the others see it leave with reason {@code shutdown}.
 */
class ThreeNodesIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Launcher launcher;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void tearDown() throws InterruptedException {
        if (launcher != null) {
            launcher.destroyAll();
        }
    }

    @Test
    void threeNodesMeshServeAdminAndStopCleanly() throws Exception {
        launcher = new Launcher(dir);
        int n = 3;
        int[] ports = Launcher.freePorts(2 * n);
        List<NodeId> ids = new ArrayList<>();
        StringBuilder trust = new StringBuilder("# three validators\n");
        for (int i = 0; i < n; i++) {
            NodeIdentity id = NodeIdentity.generate();
            KeyFiles.write(dir.resolve("n" + i + ".key"), id);
            ids.add(id.id());
            trust.append(id.id()).append(" validator\n");
        }
        Files.writeString(dir.resolve("trust.txt"), trust);
        List<Launcher.Child> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String seeds = i == 0 ? "[]" : "[\"127.0.0.1:" + ports[0] + "\"]";
            Path cfg = dir.resolve("n" + i + ".toml");
            Files.writeString(cfg, """
                    role = "validator"
                    key = "n%d.key"
                    trust = "trust.txt"
                    listen = "127.0.0.1:%d"
                    seeds = %s
                    admin = "127.0.0.1:%d"
                    transport = "plaintext"
                    pex-interval = "1s"

                    [heartbeat]
                    interval = "500ms"
                    misses = 3

                    [timeouts]
                    shutdown-grace = "3s"
                    """.formatted(i, ports[i], seeds, ports[n + i]));
            nodes.add(launcher.start("run", "--config", cfg.toString()));
        }

        for (int i = 0; i < n; i++) {
            int me = i;
            await("node " + i + " lists the other two")
                    .atMost(90, TimeUnit.SECONDS)
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .untilAsserted(() -> {
                        assertThat(nodes.get(me).process().isAlive())
                                .as(nodes.get(me).stdout())
                                .isTrue();
                        assertThat(peerIds(ports[n + me])).isEqualTo(others(ids, me));
                    });
        }

        for (int i = 0; i < n; i++) {
            JsonNode peers = JSON.readTree(get(ports[n + i], "/peers").body());
            for (JsonNode p : peers) {
                assertThat(p.get("role").asText()).isEqualTo("validator");
                assertThat(p.get("direction").asText()).isIn("inbound", "outbound");
                assertThat(p.get("address").asText()).startsWith("127.0.0.1:");
                assertThat(p.get("connectedSince").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
                assertThat(p.has("rttMillis")).isTrue();
            }
            HttpResponse<String> health = get(ports[n + i], "/health");
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);

            HttpResponse<String> metrics = get(ports[n + i], "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("content-type"))
                    .hasValue("text/plain; version=0.0.4; charset=utf-8");
            Map<String, PrometheusText.Family> families = PrometheusText.parse(metrics.body());
            double connected = 0;
            for (PrometheusText.Sample s : families.get("peerlink_connections").samples()) {
                connected += s.value();
            }
            assertThat(connected).isEqualTo(2);
            assertThat(PrometheusText.value(
                                    families,
                                    "peerlink_handshakes_total",
                                    Map.of("outcome", "success", "direction", "inbound"))
                            + PrometheusText.value(
                                    families,
                                    "peerlink_handshakes_total",
                                    Map.of("outcome", "success", "direction", "outbound")))
                    .isGreaterThanOrEqualTo(2);
            assertThat(families)
                    .containsKeys(
                            "peerlink_bytes_total", "peerlink_handshake_duration_seconds", "jvm_memory_used_bytes");
        }

        // SIGTERM the last node: exit 0, and the others drop it, logging the shutdown reason
        Launcher.Child last = nodes.get(n - 1);
        last.process().destroy();
        assertThat(last.process().waitFor(30, TimeUnit.SECONDS))
                .as("exits within 30 s")
                .isTrue();
        assertThat(last.process().exitValue()).as(last.stdout() + last.stderr()).isZero();
        assertThat(last.stdout()).contains("SIGTERM received, shutting down").contains("shutdown complete");
        String gone = ids.get(n - 1).toString();
        for (int i = 0; i < n - 1; i++) {
            int me = i;
            await("node " + i + " drops the stopped node")
                    .atMost(30, TimeUnit.SECONDS)
                    .pollInterval(Duration.ofMillis(300))
                    .ignoreExceptions()
                    .untilAsserted(() -> {
                        assertThat(peerIds(ports[n + me])).doesNotContain(gone).hasSize(n - 2);
                        assertThat(nodes.get(me).stdout())
                                .containsPattern("disconnected validator " + gone + " by peer: shutdown");
                    });
        }
        for (int i = 0; i < n - 1; i++) {
            Launcher.Child c = nodes.get(i);
            Launcher.signal(c.process(), "TERM");
            assertThat(c.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(c.process().exitValue()).isZero();
            assertThat(c.stderr()).doesNotContain("Exception");
        }
    }

    private static Set<String> others(List<NodeId> ids, int me) {
        Set<String> s = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            if (i != me) {
                s.add(ids.get(i).toString());
            }
        }
        return s;
    }

    private Set<String> peerIds(int adminPort) throws Exception {
        HttpResponse<String> r = get(adminPort, "/peers");
        assertThat(r.statusCode()).isEqualTo(200);
        Set<String> out = new HashSet<>();
        for (JsonNode p : JSON.readTree(r.body())) {
            out.add(p.get("id").asText());
        }
        return out;
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
