package io.peerlink.node.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerlink.core.Connection;
import io.peerlink.core.Direction;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerExplanation;
import io.peerlink.core.PeerStatus;
import io.peerlink.core.Role;
import io.peerlink.node.metrics.MicrometerObserver;
import io.peerlink.node.metrics.NodeMeterRegistry;
import io.peerlink.node.testing.PrometheusText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final FakeSource source = new FakeSource();
    private final NodeMeterRegistry metrics = NodeMeterRegistry.create(false);
    private @Nullable AdminServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ofSeconds(5));
        }
        metrics.close();
    }

    static final class FakeSource implements AdminSource {
        final List<PeerStatus> peers = new CopyOnWriteArrayList<>();
        volatile boolean listening = true;
        volatile boolean seeds = true;
        final Map<NodeId, PeerExplanation> explanations = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public java.util.Optional<PeerExplanation> explain(NodeId peer) {
            return java.util.Optional.ofNullable(explanations.get(peer));
        }

        @Override
        public NodeId id() {
            return AdminServerTest.id(9);
        }

        @Override
        public Role role() {
            return Role.VALIDATOR;
        }

        @Override
        public List<PeerStatus> peers() {
            return List.copyOf(peers);
        }

        @Override
        public boolean listening() {
            return listening;
        }

        @Override
        public boolean hasSeeds() {
            return seeds;
        }

        @Override
        public String tlsProvider() {
            return "boringssl";
        }
    }

    static NodeId id(int n) {
        byte[] b = new byte[NodeId.LENGTH_BYTES];
        b[0] = (byte) n;
        return NodeId.of(b);
    }

    private AdminServer start(@Nullable String token) {
        server = AdminServer.start(PeerAddress.parse("127.0.0.1:0"), source, metrics.registry(), token)
                .block(Duration.ofSeconds(10));
        return server;
    }

    private HttpResponse<String> get(String path, @Nullable String auth) throws IOException, InterruptedException {
        return send("GET", path, auth);
    }

    private HttpResponse<String> send(String method, String path, @Nullable String auth)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void boundToLoopbackWithAnEphemeralPort() {
        AdminServer s = start(null);
        assertThat(s.address().host()).isEqualTo("127.0.0.1");
        assertThat(s.address().port()).isPositive();
        assertThat(s.url()).isEqualTo("http://127.0.0.1:" + s.address().port());
    }

    @Test
    void healthFollowsListeningAndPeers() throws Exception {
        start(null);
        HttpResponse<String> r = get("/health", null);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("status").asText()).isEqualTo("down");
        assertThat(body.get("reason").asText()).contains("no peer connected");
        assertThat(body.get("id").asText()).isEqualTo(id(9).toString());

        source.peers.add(peer(1, Direction.OUTBOUND, Duration.ofMillis(2)));
        r = get("/health", null);
        assertThat(r.statusCode()).isEqualTo(200);
        body = JSON.readTree(r.body());
        assertThat(body.get("status").asText()).isEqualTo("up");
        assertThat(body.get("peers").asInt()).isEqualTo(1);
        assertThat(body.get("role").asText()).isEqualTo("validator");
        assertThat(body.get("tls").asText()).isEqualTo("boringssl");

        source.listening = false;
        r = get("/health", null);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(r.body()).get("reason").asText()).isEqualTo("not listening");

        source.listening = true;
        source.seeds = false;
        source.peers.clear();
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
    }

    static PeerStatus peer(int n, Direction d, @Nullable Duration rtt) {
        return new PeerStatus(
                new Connection(
                        id(n),
                        n % 2 == 0 ? Role.OBSERVER : Role.VALIDATOR,
                        new PeerAddress("127.0.0.1", 40000 + n),
                        new PeerAddress("127.0.0.1", 7000 + n),
                        d,
                        Instant.parse("2026-11-27T01:02:03.456Z"),
                        String.format("%016x", 0xa0L + n),
                        1_700_000_000_000L + n),
                rtt);
    }

    @Test
    void peersIsAJsonArrayOfPeerObjects() throws Exception {
        start(null);
        assertThat(JSON.readTree(get("/peers", null).body()).isArray()).isTrue();
        assertThat(JSON.readTree(get("/peers", null).body())).isEmpty();
        source.peers.add(peer(2, Direction.INBOUND, null));
        source.peers.add(peer(1, Direction.OUTBOUND, Duration.ofNanos(1_234_567)));
        HttpResponse<String> r = get("/peers", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode a = JSON.readTree(r.body());
        assertThat(a).hasSize(2);
        JsonNode first = a.get(0);
        assertThat(first.get("id").asText()).isEqualTo(id(1).toString()).startsWith("pl");
        assertThat(first.get("role").asText()).isEqualTo("validator");
        assertThat(first.get("address").asText()).isEqualTo("127.0.0.1:40001");
        assertThat(first.get("direction").asText()).isEqualTo("outbound");
        assertThat(first.get("connectedSince").asText()).isEqualTo("2026-11-27T01:02:03.456Z");
        assertThat(first.get("rttMillis").isNumber()).isTrue();
        assertThat(first.get("rttMillis").asDouble()).isEqualTo(1.235);
        assertThat(first.get("linkId").asText()).isEqualTo("00000000000000a1");
        JsonNode second = a.get(1);
        assertThat(second.get("role").asText()).isEqualTo("observer");
        assertThat(second.get("direction").asText()).isEqualTo("inbound");
        assertThat(second.get("rttMillis").isNull()).isTrue();
    }

    @Test
    void metricsIsPrometheusText() throws Exception {
        MicrometerObserver observer = new MicrometerObserver(metrics.registry(), source::peers);
        observer.bytesRead(42);
        observer.handshakeSucceeded(Direction.INBOUND, 1_000_000);
        source.peers.add(peer(1, Direction.OUTBOUND, null));
        start(null);
        HttpResponse<String> r = get("/metrics", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        Map<String, PrometheusText.Family> families = PrometheusText.parse(r.body());
        assertThat(PrometheusText.value(families, "peerlink_bytes_total", Map.of("direction", "in")))
                .isEqualTo(42);
        assertThat(PrometheusText.value(
                        families, "peerlink_connections", Map.of("role", "validator", "direction", "outbound")))
                .isEqualTo(1);
        assertThat(families.get("peerlink_handshake_duration_seconds").type()).isEqualTo("histogram");
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() throws Exception {
        start(null);
        HttpResponse<String> r = get("/nope", null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("not found");
        r = send("POST", "/peers", null);
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("allow")).hasValue("GET, HEAD");
        assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("method not allowed");
        assertThat(send("DELETE", "/health", null).statusCode()).isEqualTo(405);
        assertThat(get("/peers?pretty=1", null).statusCode()).isEqualTo(200);
    }

    @Test
    void bearerTokenIsRequiredWhenSet() throws Exception {
        start(TOKEN);
        for (String auth : new String[] {null, "Bearer wrong", "Basic " + TOKEN, "Bearer " + TOKEN + "x", "Bearer"}) {
            HttpResponse<String> r = get("/peers", auth);
            assertThat(r.statusCode()).as("auth %s", auth).isEqualTo(401);
            assertThat(r.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"peerlink\"");
            assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("unauthorized");
        }
        assertThat(get("/peers", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(get("/metrics", "bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(get("/nope", null).statusCode()).isEqualTo(401);
    }

    @Test
    void onePeerIsExplainedAlsoWhenNotConnected() throws Exception {
        start(null);
        NodeId peer = id(4);
        Instant failed = Instant.parse("2026-12-02T10:00:00Z");
        Instant next = Instant.parse("2026-12-02T10:00:08Z");
        source.explanations.put(
                peer,
                new PeerExplanation(
                        peer,
                        true,
                        Role.VALIDATOR,
                        PeerExplanation.State.BACKOFF,
                        "2 dial(s) in a row failed; the next waits 8000 ms more",
                        List.of(
                                new PeerExplanation.KnownAddress(
                                        PeerAddress.parse("10.0.0.4:7000"),
                                        java.util.Set.of(
                                                PeerExplanation.Source.PEER_EXCHANGE, PeerExplanation.Source.SEED)),
                                new PeerExplanation.KnownAddress(
                                        PeerAddress.parse("10.0.0.5:7000"),
                                        java.util.Set.of(PeerExplanation.Source.INBOUND))),
                        null,
                        "dial 10.0.0.4:7000 gave up: connection_closed (refused)",
                        failed,
                        next));

        HttpResponse<String> r = get("/peers/" + peer, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode e = JSON.readTree(r.body());
        assertThat(e.get("id").asText()).isEqualTo(peer.toString());
        assertThat(e.get("trusted").asBoolean()).isTrue();
        assertThat(e.get("role").asText()).isEqualTo("validator");
        assertThat(e.get("state").asText()).isEqualTo("backoff");
        assertThat(e.get("why").asText()).contains("failed");
        assertThat(e.get("addresses").get(0).get("address").asText()).isEqualTo("10.0.0.4:7000");
        assertThat(e.get("addresses").get(0).get("sources").toString()).isEqualTo("[\"seed\",\"peer-exchange\"]");
        assertThat(e.get("addresses").get(1).get("sources").get(0).asText()).isEqualTo("inbound");
        assertThat(e.get("connection").isNull()).isTrue();
        assertThat(e.get("lastError").asText()).contains("gave up");
        assertThat(e.get("lastErrorAt").asText()).isEqualTo("2026-12-02T10:00:00Z");
        assertThat(e.get("nextAttemptAt").asText()).isEqualTo("2026-12-02T10:00:08Z");

        r = get("/peers/" + id(5), null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("unknown peer");
        r = get("/peers/not-an-id", null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("message").asText()).contains("invalid node id 'not-an-id'");
        assertThat(get("/peers/" + peer + "/nope", null).statusCode()).isEqualTo(404);
        assertThat(send("POST", "/peers/" + peer, null).statusCode()).isEqualTo(405);
    }
}
