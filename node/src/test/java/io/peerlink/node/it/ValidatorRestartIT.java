package io.peerlink.node.it;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three validators as {@code peerlink run} processes (TLS, each seeded with one other, so the third link comes from
 * peer exchange). The validator with the smallest id, then the one with the largest, is killed with SIGKILL and
 * started again at once with the same key: it must be linked to every live validator again, and both ends of every
 * link must report the same {@code linkId} in {@code /peers} and in their log lines. Prints the measured times
 * (kill to linked, JVM start included; listener up to linked); the bounds asserted are generous, for a loaded
 * machine. docs/reliability.md records the figures.
 */
class ValidatorRestartIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TIMESTAMP = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT[^ ]+) ");
    /** Generous: on an idle machine this is about a second; four builds share two cores here. */
    static final Duration LISTENING_TO_LINKED_BOUND = Duration.ofSeconds(10);

    static final Duration KILL_TO_LINKED_BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Launcher launcher;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void tearDown() throws Exception {
        if (launcher != null) {
            launcher.destroyAll();
        }
        // the nodes' logs outlive the temporary directory, for diagnosis
        Path keep = Path.of(System.getProperty("basedir", "."), "target", "validator-restart-it");
        Files.createDirectories(keep);
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".out")).toList()) {
                Files.copy(f, keep.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void killedValidatorIsRelinkedToEveryValidatorWithTheSameLinkIdAtBothEnds() throws Exception {
        launcher = new Launcher(dir);
        int n = 3;
        int[] ports = Launcher.freePorts(2 * n);
        List<NodeIdentity> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(NodeIdentity.generate());
        }
        keys.sort(Comparator.comparing(NodeIdentity::id)); // node 0 has the smallest id, node 2 the largest
        List<NodeId> ids = new ArrayList<>();
        StringBuilder trust = new StringBuilder();
        for (int i = 0; i < n; i++) {
            KeyFiles.write(dir.resolve("n" + i + ".key"), keys.get(i));
            ids.add(keys.get(i).id());
            trust.append(keys.get(i).id()).append(" validator\n");
        }
        Files.writeString(dir.resolve("trust.txt"), trust);
        List<Path> configs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path cfg = dir.resolve("n" + i + ".toml");
            Files.writeString(cfg, """
                    role = "validator"
                    key = "n%d.key"
                    trust = "trust.txt"
                    listen = "127.0.0.1:%d"
                    seeds = ["127.0.0.1:%d"]
                    admin = "127.0.0.1:%d"

                    [heartbeat]
                    interval = "500ms"
                    misses = 3
                    """.formatted(i, ports[i], ports[(i + 1) % n], ports[n + i]));
            configs.add(cfg);
        }
        List<Launcher.Child> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            nodes.add(launcher.start("run", "--config", configs.get(i).toString()));
        }
        awaitMesh(nodes, ports, ids, Duration.ofSeconds(120));
        assertLinkIdsAgree(nodes, ports, ids);

        for (int victim : new int[] {0, n - 1}) {
            long killedAt = System.nanoTime();
            nodes.get(victim).process().destroyForcibly(); // SIGKILL
            assertThat(nodes.get(victim).process().waitFor(15, TimeUnit.SECONDS))
                    .isTrue();
            long runAt = System.nanoTime();
            Launcher.Child restarted =
                    launcher.start("run", "--config", configs.get(victim).toString());
            nodes.set(victim, restarted);
            awaitMesh(nodes, ports, ids, KILL_TO_LINKED_BOUND);
            long linkedAt = System.nanoTime();
            long linkedWall = System.currentTimeMillis();
            OffsetDateTime listening = logTime(restarted.stdout(), "started, listening on");
            long listeningToLinked = linkedWall - listening.toInstant().toEpochMilli();
            System.out.printf(
                    "ValidatorRestartIT: %s id killed: kill -9 -> linked to both %d ms (run -> linked %d ms, "
                            + "JVM start included); listener up -> linked %d ms (polled every 20 ms)%n",
                    victim == 0 ? "smallest" : "largest",
                    TimeUnit.NANOSECONDS.toMillis(linkedAt - killedAt),
                    TimeUnit.NANOSECONDS.toMillis(linkedAt - runAt),
                    listeningToLinked);
            assertThat(Duration.ofMillis(listeningToLinked)).isLessThanOrEqualTo(LISTENING_TO_LINKED_BOUND);
            assertLinkIdsAgree(nodes, ports, ids);
        }
    }

    /** Every pair lists each other once, and both ends show the same linkId, which both logged. */
    private void assertLinkIdsAgree(List<Launcher.Child> nodes, int[] ports, List<NodeId> ids) throws Exception {
        int n = ids.size();
        List<Map<String, String>> views = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            views.add(linkIds(ports[n + i]));
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                String here = views.get(i).get(ids.get(j).toString());
                String there = views.get(j).get(ids.get(i).toString());
                assertThat(here)
                        .as("linkId of n%d-n%d", i, j)
                        .matches("[0-9a-f]{16}")
                        .isEqualTo(there);
                assertThat(nodes.get(i).stdout()).contains("link " + here);
                assertThat(nodes.get(j).stdout()).contains("link " + here);
            }
        }
    }

    private void awaitMesh(List<Launcher.Child> nodes, int[] ports, List<NodeId> ids, Duration bound) throws Exception {
        int n = ids.size();
        long end = System.nanoTime() + bound.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            boolean whole = true;
            for (int i = 0; i < n && whole; i++) {
                assertThat(nodes.get(i).process().isAlive())
                        .as("n%d runs: %s", i, nodes.get(i).stderr())
                        .isTrue();
                try {
                    Map<String, String> peers = linkIds(ports[n + i]);
                    whole = peers.size() == n - 1;
                    for (int j = 0; j < n; j++) {
                        whole &= j == i || peers.containsKey(ids.get(j).toString());
                    }
                    last = "n" + i + " lists " + peers.keySet();
                } catch (java.io.IOException e) {
                    whole = false;
                    last = "n" + i + ": " + e;
                }
            }
            if (whole) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("mesh not whole within " + bound + ": " + last);
    }

    /** Peer id to linkId, from {@code /peers}. */
    private Map<String, String> linkIds(int adminPort) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/peers"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, String> out = new HashMap<>();
        for (JsonNode p : JSON.readTree(r.body())) {
            out.put(p.get("id").asText(), p.get("linkId").asText());
        }
        return out;
    }

    private static OffsetDateTime logTime(String log, String marker) {
        for (String line : log.split("\n")) {
            if (line.contains(marker)) {
                Matcher m = TIMESTAMP.matcher(line);
                assertThat(m.find()).as("timestamp in: %s", line).isTrue();
                return OffsetDateTime.parse(m.group(1));
            }
        }
        throw new AssertionError("no line with '" + marker + "' in:\n" + log);
    }
}
