package io.peerlink.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code peerlink devnet} reaches a full mesh and stops cleanly on SIGINT. */
class DevnetIT {
    private static final Pattern NODE = Pattern.compile(
            "^\\s+(v|o)(\\d+)\\s+\\w+\\s+(pl[0-9a-f]{40})\\s+p2p \\S+\\s+admin (http://\\S+)$", Pattern.MULTILINE);

    @TempDir
    Path dir;

    private Launcher launcher;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (launcher != null) {
            launcher.destroyAll();
        }
    }

    @Test
    void devnetMeshesAndExitsCleanlyOnSigint() throws Exception {
        launcher = new Launcher(dir);
        Launcher.Child devnet = launcher.start(
                "devnet",
                "--validators",
                "3",
                "--observers",
                "1",
                "--dir",
                dir.resolve("net").toString());
        Assumptions.assumeFalse(
                Launcher.ignores(devnet.process(), 2),
                "SIGINT is ignored by this test's process tree (a background job of a non-interactive shell)");

        List<String> admins = new ArrayList<>();
        await("devnet prints its nodes")
                .atMost(90, TimeUnit.SECONDS)
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> {
                    assertThat(devnet.process().isAlive())
                            .as(devnet.stdout() + devnet.stderr())
                            .isTrue();
                    Matcher m = NODE.matcher(devnet.stdout());
                    List<String> found = new ArrayList<>();
                    while (m.find()) {
                        found.add(m.group(4));
                    }
                    assertThat(found).hasSize(4);
                    admins.clear();
                    admins.addAll(found);
                });

        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        await("full mesh")
                .atMost(60, TimeUnit.SECONDS)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    for (int i = 0; i < 3; i++) {
                        HttpResponse<String> r = http.send(
                                HttpRequest.newBuilder(URI.create(admins.get(i) + "/peers"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        // each validator: the two other validators and the observer
                        assertThat(json.readTree(r.body())).hasSize(3);
                    }
                    assertThat(devnet.stdout()).contains("full mesh");
                });

        Launcher.signal(devnet.process(), "INT");
        assertThat(devnet.process().waitFor(30, TimeUnit.SECONDS))
                .as("exits within 30 s")
                .isTrue();
        assertThat(devnet.process().exitValue()).as(devnet.stderr()).isZero();
        assertThat(devnet.stdout()).contains("devnet stopped");
        assertThat(devnet.stderr()).isEmpty();
    }
}
