package io.peerlink.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerlink.core.NodeId;
import io.peerlink.core.identity.KeyFiles;
import io.peerlink.core.identity.NodeIdentity;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Observer failover over real processes: three validators and one observer with {@code attach-to 2} seeded with ONE
 * validator. The observer learns the other two by peer exchange and holds two links; when the validator it was
 * seeded with is killed ({@code kill -9}), it is attached to two validators again, and the time that took is
 * printed next to the loss-detection bound (heartbeat interval × misses).
 */
class FailoverIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    /** The heartbeat of every node: 500 ms × 3 misses. */
    private static final Duration DETECTION_BOUND = Duration.ofMillis(1500);

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
    void observerSeededWithOneValidatorHoldsTwoAndFailsOverWhenItsValidatorIsKilled() throws Exception {
        launcher = new Launcher(dir);
        int validators = 3;
        int[] ports = Launcher.freePorts(2 * validators + 1);
        int observerAdmin = ports[2 * validators];
        List<NodeId> ids = new ArrayList<>();
        StringBuilder trust = new StringBuilder("# three validators and an observer\n");
        for (int i = 0; i <= validators; i++) {
            NodeIdentity id = NodeIdentity.generate();
            KeyFiles.write(dir.resolve("n" + i + ".key"), id);
            ids.add(id.id());
            trust.append(id.id()).append(i < validators ? " validator\n" : " observer\n");
        }
        Files.writeString(dir.resolve("trust.txt"), trust);
        String common = """
                transport = "plaintext"
                pex-interval = "1s"

                [heartbeat]
                interval = "500ms"
                misses = 3

                [timeouts]
                shutdown-grace = "3s"
                """;
        List<Launcher.Child> nodes = new ArrayList<>();
        for (int i = 0; i < validators; i++) {
            String seeds = i == 0 ? "[]" : "[\"127.0.0.1:" + ports[0] + "\"]";
            Path cfg = dir.resolve("n" + i + ".toml");
            Files.writeString(cfg, """
                    role = "validator"
                    key = "n%d.key"
                    trust = "trust.txt"
                    listen = "127.0.0.1:%d"
                    seeds = %s
                    admin = "127.0.0.1:%d"
                    """.formatted(i, ports[i], seeds, ports[validators + i]) + common);
            nodes.add(launcher.start("run", "--config", cfg.toString()));
        }
        // the observer knows ONE validator: v0
        Path observerCfg = dir.resolve("observer.toml");
        Files.writeString(observerCfg, """
                role = "observer"
                key = "n%d.key"
                trust = "trust.txt"
                seeds = ["127.0.0.1:%d"]
                admin = "127.0.0.1:%d"
                admin-token = "%s"
                admin-actions = true
                attach-to = 2
                """.formatted(validators, ports[0], observerAdmin, TOKEN) + common);
        Launcher.Child observer = launcher.start("run", "--config", observerCfg.toString());

        for (int i = 0; i < validators; i++) {
            int me = i;
            await("validator " + i + " meshed")
                    .atMost(90, TimeUnit.SECONDS)
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .untilAsserted(() -> assertThat(peerIds(ports[validators + me]))
                            .containsAll(others(ids.subList(0, validators), me)));
        }
        await("the observer holds two validators, its seed among them")
                .atMost(60, TimeUnit.SECONDS)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    assertThat(observer.process().isAlive())
                            .as(observer.stdout())
                            .isTrue();
                    assertThat(peerIds(observerAdmin))
                            .hasSize(2)
                            .contains(ids.get(0).toString());
                });
        Set<String> before = peerIds(observerAdmin);
        String spare = ids.subList(1, validators).stream()
                .map(NodeId::toString)
                .filter(id -> !before.contains(id))
                .findFirst()
                .orElseThrow();
        JsonNode s = explain(observerAdmin, spare);
        assertThat(s.get("state").asText()).isEqualTo("not-dialing");
        assertThat(s.get("why").asText()).contains("attach-to 2");
        assertThat(s.get("addresses").toString()).contains("peer-exchange");

        // kill -9 the validator the observer was seeded with and is attached to
        long killed = System.nanoTime();
        nodes.get(0).process().destroyForcibly(); // SIGKILL
        assertThat(nodes.get(0).process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        Set<String> expected = new HashSet<>(others(ids.subList(0, validators), 0));
        await("the observer is attached to two validators again")
                .atMost(30, TimeUnit.SECONDS)
                .pollInterval(Duration.ofMillis(20))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(peerIds(observerAdmin)).isEqualTo(expected));
        Duration took = Duration.ofNanos(System.nanoTime() - killed);
        System.out.printf(
                "FailoverIT: observer attached to 2 validators again %d ms after kill -9 of its validator"
                        + " (loss-detection bound %d ms)%n",
                took.toMillis(), DETECTION_BOUND.toMillis());
        assertThat(observer.stdout()).contains("lost validator " + ids.get(0));

        // the killed seed: explained with its last error, and its backoff can be cleared
        JsonNode lost = explain(observerAdmin, ids.get(0).toString());
        assertThat(lost.get("trusted").asBoolean()).isTrue();
        assertThat(lost.get("state").asText()).isIn("backoff", "dialing", "not-dialing");
        assertThat(lost.get("lastError").asText()).isNotBlank();
        assertThat(lost.get("addresses").toString())
                .contains("127.0.0.1:" + ports[0])
                .contains("seed");
        HttpResponse<String> cleared = http.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + observerAdmin + "/peers/" + ids.get(0) + "/clear-backoff"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(cleared.statusCode()).as(cleared.body()).isEqualTo(200);
        assertThat(observer.stdout()).contains("admin action: clear-backoff " + ids.get(0));
        assertThat(observer.process().isAlive()).isTrue();
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

    private JsonNode explain(int adminPort, String id) throws Exception {
        HttpResponse<String> r = get(adminPort, "/peers/" + id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
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
                        .header("Authorization", "Bearer " + TOKEN)
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
