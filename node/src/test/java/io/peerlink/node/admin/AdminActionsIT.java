package io.peerlink.node.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.Role;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.config.TransportSecurity;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.FileTrustRegistry;
import io.peerlink.core.trust.TrustFile;
import io.peerlink.node.Node;
import io.peerlink.node.metrics.NodeMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/**
 * The admin actions against real nodes on loopback: {@code POST /peers/{id}/disconnect} drops the link (both ends
 * see it end, the peer with the reason {@code operator} off the wire), {@code POST /dial} links them again, and
 * {@code POST /trust/reload} applies an edited trust file at once.
 *
 * <p>The admin endpoint is an observer's ({@code o}) and its peer a validator ({@code v}): an observer without
 * seeds and with {@code attach-to 0} dials nobody by itself and a validator never dials an observer, so nothing but
 * the admin dial can bring the link back. (Two validators would re-link by themselves within a maintenance tick, and
 * an observer that attaches to validators would fail over to the one it knows.)
 *
 * <p>{@code GET /peers/{id}} explains a validator an observer lost, and {@code POST /peers/{id}/clear-backoff} ends
 * the backoff of its address so that the observer links again at once.
 */
class AdminActionsIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final NodeMeterRegistry metrics = NodeMeterRegistry.create(false);
    private final List<Node> nodes = new ArrayList<>();
    private final List<Disposable> subscriptions = new ArrayList<>();
    private final List<PeerEvent> eventsOfV = new CopyOnWriteArrayList<>();
    private @Nullable AdminServer admin;

    @AfterEach
    void tearDown() {
        subscriptions.forEach(Disposable::dispose);
        if (admin != null) {
            admin.stop(Duration.ofSeconds(5));
        }
        for (Node n : nodes) {
            n.stop().block(Duration.ofSeconds(10));
        }
        metrics.close();
    }

    @Test
    void disconnectDropsTheLinkDialRelinksItAndReloadAppliesTheTrustFile() throws Exception {
        NodeIdentity v = NodeIdentity.generate();
        NodeIdentity o = NodeIdentity.generate();
        Map<NodeId, Role> table = new LinkedHashMap<>();
        table.put(v.id(), Role.VALIDATOR);
        table.put(o.id(), Role.OBSERVER);
        Path trustFile = dir.resolve("trust.txt");
        Files.writeString(trustFile, TrustFile.format(table));
        FileTrustRegistry trustOfO =
                FileTrustRegistry.builder(trustFile).self(o.id()).load();
        Node validator = start(
                v,
                Role.VALIDATOR,
                FileTrustRegistry.builder(trustFile).self(v.id()).load());
        Node observer = start(o, Role.OBSERVER, trustOfO);
        subscriptions.add(validator.events().subscribe(eventsOfV::add));
        admin = AdminServer.start(
                        PeerAddress.parse("127.0.0.1:0"),
                        AdminSource.of(observer),
                        metrics.registry(),
                        TOKEN,
                        AdminLimits.defaults(),
                        AdminActions.of(observer))
                .block(WAIT);
        PeerAddress addressOfV = validator.listenAddress();
        assertThat(addressOfV).isNotNull();

        // linked by the admin endpoint in the first place
        HttpResponse<String> r = post("/dial", addressOfV.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("result").asText()).isEqualTo("connected");
        assertThat(json(r).get("target").asText()).isEqualTo(v.id().toString());
        await().atMost(WAIT).until(() -> linked(observer, v.id()) && linked(validator, o.id()));

        r = post("/peers/" + v.id() + "/disconnect", "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("result").asText()).isEqualTo("disconnected");
        // answered once the observer has published the end of the link; the validator learns it from the wire
        assertThat(linked(observer, v.id())).isFalse();
        await().atMost(WAIT).until(() -> !linked(validator, o.id()));
        assertThat(eventsOfV).anySatisfy(e -> {
            assertThat(e).isInstanceOf(PeerEvent.Disconnected.class);
            PeerEvent.Disconnected d = (PeerEvent.Disconnected) e;
            assertThat(d.connection().peer()).isEqualTo(o.id());
            assertThat(d.reason()).isEqualTo(DisconnectReason.OPERATOR);
            assertThat(d.byPeer()).isTrue();
        });
        // nothing else links them again: longer than a maintenance tick (1 s)
        await().during(Duration.ofMillis(2_500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> !linked(observer, v.id()) && !linked(validator, o.id()));

        r = post("/peers/" + v.id() + "/disconnect", "");
        assertThat(r.statusCode()).as("no link left to close").isEqualTo(404);
        assertThat(json(r).get("error").asText()).isEqualTo("not connected");

        r = post("/dial?address=" + addressOfV, "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("target").asText()).isEqualTo(v.id().toString());
        await().atMost(WAIT).until(() -> linked(observer, v.id()) && linked(validator, o.id()));

        // a validator added to the file applies at once, without waiting for the file to settle
        NodeId added = NodeIdentity.generate().id();
        table.put(added, Role.VALIDATOR);
        Files.writeString(trustFile, TrustFile.format(table));
        r = post("/trust/reload", "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("result").asText()).isEqualTo("reloaded");
        assertThat(body.get("entries").asInt()).isEqualTo(3);
        assertThat(body.get("changes")).hasSize(1);
        assertThat(body.get("changes").get(0).get("id").asText()).isEqualTo(added.toString());
        assertThat(body.get("changes").get(0).get("before").isNull()).isTrue();
        assertThat(body.get("changes").get(0).get("after").asText()).isEqualTo("validator");
        assertThat(trustOfO.snapshot()).containsKey(added);
        assertThat(json(post("/trust/reload", "")).get("result").asText()).isEqualTo("unchanged");

        // a file that would drop this node is refused, and the table in force stays
        table.remove(o.id());
        Files.writeString(trustFile, TrustFile.format(table));
        r = post("/trust/reload", "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
        assertThat(json(r).get("error").asText()).isEqualTo("refused");
        assertThat(trustOfO.snapshot()).containsKey(o.id()).hasSize(3);
        assertThat(linked(observer, v.id())).as("reloads keep the link").isTrue();
    }

    @Test
    void explainsALostValidatorAndClearBackoffRelinksAtOnce() throws Exception {
        NodeIdentity v = NodeIdentity.generate();
        NodeIdentity o = NodeIdentity.generate();
        NodeId stranger = NodeIdentity.generate().id();
        Map<NodeId, Role> table = new LinkedHashMap<>();
        table.put(v.id(), Role.VALIDATOR);
        table.put(o.id(), Role.OBSERVER);
        Path trustFile = dir.resolve("trust.txt");
        Files.writeString(trustFile, TrustFile.format(table));
        Node validator = start(
                v,
                Role.VALIDATOR,
                FileTrustRegistry.builder(trustFile).self(v.id()).load());
        PeerAddress at = validator.listenAddress();
        assertThat(at).isNotNull();
        Node observer = Node.builder()
                .identity(o)
                .trust(FileTrustRegistry.builder(trustFile).self(o.id()).load())
                .config(NodeConfig.builder()
                        .role(Role.OBSERVER)
                        .seeds(List.of(at))
                        .transportSecurity(TransportSecurity.PLAINTEXT)
                        // one attempt per dial, and 30 s before an address that failed is dialed again
                        .dial(new io.peerlink.core.config.DialPolicy(
                                1, Duration.ofMillis(50), Duration.ofMillis(50), 0, Duration.ofSeconds(30)))
                        .build())
                .build();
        nodes.add(observer);
        observer.start().block(WAIT);
        admin = AdminServer.start(
                        PeerAddress.parse("127.0.0.1:0"),
                        AdminSource.of(observer),
                        metrics.registry(),
                        TOKEN,
                        AdminLimits.defaults(),
                        AdminActions.of(observer))
                .block(WAIT);
        await().atMost(WAIT).until(() -> linked(observer, v.id()));

        JsonNode e = json(get("/peers/" + v.id()));
        assertThat(e.get("state").asText()).isEqualTo("connected");
        assertThat(e.get("trusted").asBoolean()).isTrue();
        assertThat(e.get("role").asText()).isEqualTo("validator");
        assertThat(e.get("connection").get("direction").asText()).isEqualTo("outbound");
        assertThat(e.get("addresses").toString()).contains(at.toString()).contains("\"seed\"");

        validator.stop().block(WAIT);
        await().atMost(WAIT)
                .until(() -> "backoff"
                        .equals(json(get("/peers/" + v.id())).get("state").asText()));
        e = json(get("/peers/" + v.id()));
        assertThat(e.get("connection").isNull()).isTrue();
        assertThat(e.get("lastError").asText()).isNotBlank();
        assertThat(java.time.Instant.parse(e.get("lastErrorAt").asText())).isBeforeOrEqualTo(java.time.Instant.now());
        assertThat(java.time.Instant.parse(e.get("nextAttemptAt").asText()))
                .isAfter(java.time.Instant.now().plusSeconds(15));

        // the validator is back at its address; without the action the observer would wait out its backoff
        Node back = Node.builder()
                .identity(v)
                .trust(FileTrustRegistry.builder(trustFile).self(v.id()).load())
                .config(NodeConfig.builder()
                        .role(Role.VALIDATOR)
                        .listen(at)
                        .transportSecurity(TransportSecurity.PLAINTEXT)
                        .build())
                .build();
        nodes.add(back);
        back.start().block(WAIT);
        HttpResponse<String> r = post("/peers/" + v.id() + "/clear-backoff", "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("result").asText()).isEqualTo("cleared");
        await().atMost(Duration.ofSeconds(10)).until(() -> linked(observer, v.id()));
        assertThat(json(get("/peers/" + v.id())).get("state").asText()).isEqualTo("connected");

        assertThat(get("/peers/" + stranger).statusCode()).isEqualTo(404);
        assertThat(get("/peers/pl-nope").statusCode()).isEqualTo(400);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(admin.url() + path))
                .timeout(WAIT)
                .header("Authorization", "Bearer " + TOKEN)
                .GET()
                .build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private Node start(NodeIdentity identity, Role role, FileTrustRegistry trust) {
        Node n = Node.builder()
                .identity(identity)
                .trust(trust)
                .config(NodeConfig.builder()
                        .role(role)
                        .listen(PeerAddress.parse("127.0.0.1:0"))
                        .transportSecurity(TransportSecurity.PLAINTEXT)
                        .build())
                // an observer without seeds that does not attach by itself: only the admin dial links it
                .attachTo(role == Role.OBSERVER ? 0 : 2)
                .build();
        nodes.add(n);
        n.start().block(WAIT);
        return n;
    }

    private static boolean linked(Node n, NodeId peer) {
        return n.peers().stream().anyMatch(p -> p.connection().peer().equals(peer));
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(admin.url() + path))
                .timeout(WAIT)
                .header("Authorization", "Bearer " + TOKEN)
                .POST(body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }
}
