package io.peerlink.node.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerlink.core.Connection;
import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerlinkException;
import io.peerlink.core.Role;
import io.peerlink.core.trust.FileTrustRegistry;
import io.peerlink.core.trust.TrustChange;
import io.peerlink.core.trust.TrustRefusal;
import io.peerlink.node.metrics.NodeMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/** The admin actions over real HTTP on loopback, against a recording {@link AdminActions}. */
class AdminActionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final String AUTH = "Bearer " + TOKEN;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AdminServerTest.FakeSource source = new AdminServerTest.FakeSource();
    private final NodeMeterRegistry metrics = NodeMeterRegistry.create(false);
    private final Recording actions = new Recording();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private @Nullable AdminServer server;

    @BeforeEach
    void captureLogs() {
        logs.start();
        ((Logger) LoggerFactory.getLogger(AdminActionRoutes.class)).addAppender(logs);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(AdminActionRoutes.class)).detachAppender(logs);
        if (server != null) {
            server.stop(Duration.ofSeconds(5));
        }
        metrics.close();
    }

    /** Records what it was asked; answers as its fields say. */
    static final class Recording implements AdminActions {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile boolean connected = true;
        volatile Mono<Connection> dialResult = Mono.empty();
        volatile FileTrustRegistry.Reload reload = new FileTrustRegistry.Reload(List.of(), 3, null, "");

        @Override
        public Mono<Void> disconnect(NodeId peer, String detail) {
            calls.add("disconnect " + peer);
            return connected
                    ? Mono.empty()
                    : Mono.error(new PeerlinkException(DisconnectReason.NOT_CONNECTED, "no link to " + peer));
        }

        final java.util.Set<NodeId> banned = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public Mono<Void> ban(NodeId peer, Duration duration, String detail) {
            calls.add("ban " + peer + " " + duration);
            banned.add(peer);
            return Mono.empty();
        }

        @Override
        public Mono<Boolean> unban(NodeId peer) {
            calls.add("unban " + peer);
            return Mono.just(banned.remove(peer));
        }

        volatile int waiting = 2;

        @Override
        public Mono<Integer> clearBackoff(NodeId peer) {
            calls.add("clear-backoff " + peer);
            int n = waiting;
            waiting = 0;
            return Mono.just(n);
        }

        @Override
        public Mono<Connection> dial(PeerAddress address) {
            calls.add("dial " + address);
            return dialResult;
        }

        @Override
        public Mono<FileTrustRegistry.Reload> reloadTrust() {
            calls.add("reload");
            return Mono.just(reload);
        }
    }

    private void start(@Nullable AdminActions a) {
        server = AdminServer.start(
                        PeerAddress.parse("127.0.0.1:0"), source, metrics.registry(), TOKEN, AdminLimits.defaults(), a)
                .block(Duration.ofSeconds(10));
    }

    private HttpResponse<String> send(String method, String path, @Nullable String auth, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .timeout(Duration.ofSeconds(20))
                .method(
                        method,
                        body.isEmpty()
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send("POST", path, AUTH, body);
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        return JSON.readTree(r.body());
    }

    private static Connection connection(NodeId id) {
        return new Connection(
                id, Role.VALIDATOR, PeerAddress.parse("127.0.0.1:7001"), null, Direction.OUTBOUND, Instant.EPOCH);
    }

    @Test
    void actionsAreForbiddenWhenOff() throws Exception {
        start(null);
        NodeId peer = AdminServerTest.id(1);
        for (String path : List.of("/peers/" + peer + "/disconnect", "/dial?address=127.0.0.1:7001", "/trust/reload")) {
            HttpResponse<String> r = post(path, "");
            assertThat(r.statusCode()).as(path).isEqualTo(403);
            assertThat(json(r).get("message").asText()).contains("admin-actions = true");
        }
    }

    @Test
    void actionsNeedTheToken() throws Exception {
        start(actions);
        HttpResponse<String> r = send("POST", "/trust/reload", null, "");
        assertThat(r.statusCode()).isEqualTo(401);
        r = send("POST", "/trust/reload", "Bearer wrong-token-wrong-token", "");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(actions.calls).isEmpty();
        assertThatThrownBy(() -> AdminServer.start(
                        PeerAddress.parse("127.0.0.1:0"),
                        source,
                        metrics.registry(),
                        null,
                        AdminLimits.defaults(),
                        actions))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void disconnectByIdLoggedWithWhoAsked() throws Exception {
        start(actions);
        NodeId peer = AdminServerTest.id(1);
        HttpResponse<String> r = post("/peers/" + peer + "/disconnect", "");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("result").asText()).isEqualTo("disconnected");
        assertThat(json(r).get("target").asText()).isEqualTo(peer.toString());
        assertThat(actions.calls).containsExactly("disconnect " + peer);
        assertThat(logs.list).anySatisfy(e -> {
            assertThat(e.getLevel().toString()).isEqualTo("INFO");
            assertThat(e.getFormattedMessage()).contains("disconnect " + peer).contains("asked by 127.0.0.1:");
        });

        actions.connected = false;
        r = post("/peers/" + peer + "/disconnect", "");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).get("error").asText()).isEqualTo("not connected");

        r = post("/peers/not-a-node-id/disconnect", "");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("message").asText()).contains("invalid node id 'not-a-node-id'");

        r = send("GET", "/peers/" + peer + "/disconnect", AUTH, "");
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("allow")).hasValue("POST");
        assertThat(actions.calls).hasSize(2);
    }

    @Test
    void dialTakesTheAddressAsBodyOrQuery() throws Exception {
        start(actions);
        NodeId peer = AdminServerTest.id(2);
        actions.dialResult = Mono.just(connection(peer));
        HttpResponse<String> r = post("/dial", "127.0.0.1:7001\n");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("result").asText()).isEqualTo("connected");
        assertThat(json(r).get("target").asText()).isEqualTo(peer.toString());

        r = post("/dial?address=localhost:7002", "");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(actions.calls).containsExactly("dial 127.0.0.1:7001", "dial localhost:7002");
        assertThat(logs.list)
                .anySatisfy(e -> assertThat(e.getFormattedMessage())
                        .contains("dial 127.0.0.1:7001")
                        .contains("asked by 127.0.0.1:"));

        actions.dialResult = Mono.error(new PeerlinkException(DisconnectReason.CONNECTION_CLOSED, "refused"));
        r = post("/dial", "127.0.0.1:7003");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(json(r).get("message").asText()).contains("127.0.0.1:7003").contains("connection_closed");
    }

    @Test
    void badDialInputIs400() throws Exception {
        start(actions);
        for (String body : List.of("", "nonsense", "127.0.0.1:99999", "host:")) {
            HttpResponse<String> r = post("/dial", body);
            assertThat(r.statusCode()).as("body '%s'", body).isEqualTo(400);
            assertThat(json(r).get("error").asText()).isEqualTo("bad request");
        }
        HttpResponse<String> r = post("/dial", "x".repeat(AdminActionRoutes.MAX_BODY_BYTES + 1));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("message").asText()).contains("at most " + AdminActionRoutes.MAX_BODY_BYTES);
        assertThat(actions.calls).isEmpty();
    }

    @Test
    void trustReloadReportsChangesOrRefusal() throws Exception {
        start(actions);
        NodeId peer = AdminServerTest.id(3);
        actions.reload =
                new FileTrustRegistry.Reload(List.of(new TrustChange(peer, Role.VALIDATOR, null)), 2, null, "");
        HttpResponse<String> r = post("/trust/reload", "");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("result").asText()).isEqualTo("reloaded");
        assertThat(body.get("entries").asInt()).isEqualTo(2);
        assertThat(body.get("changes").get(0).get("id").asText()).isEqualTo(peer.toString());
        assertThat(body.get("changes").get(0).get("after").isNull()).isTrue();

        actions.reload = new FileTrustRegistry.Reload(List.of(), 2, TrustRefusal.EMPTY, "the file lists no node");
        r = post("/trust/reload", "");
        assertThat(r.statusCode()).isEqualTo(409);
        body = json(r);
        assertThat(body.get("reason").asText()).isEqualTo("empty");
        assertThat(body.get("message").asText()).contains("the file lists no node");
        assertThat(logs.list)
                .filteredOn(e -> e.getFormattedMessage().contains("reload the trust file"))
                .hasSize(2);
    }

    @Test
    void banForADurationThenUnbanLoggedWithWhoAsked() throws Exception {
        start(actions);
        NodeId peer = AdminServerTest.id(2);
        HttpResponse<String> r = post("/peers/" + peer + "/ban", "");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("result").asText()).isEqualTo("banned");
        r = post("/peers/" + peer + "/ban?for=90s", "");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(actions.calls).containsExactly("ban " + peer + " PT10M", "ban " + peer + " PT1M30S");
        assertThat(logs.list)
                .anySatisfy(e -> assertThat(e.getFormattedMessage())
                        .contains("ban " + peer + " for 90s")
                        .contains("asked by 127.0.0.1:"));

        r = post("/peers/" + peer + "/unban", "");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("result").asText()).isEqualTo("unbanned");
        r = post("/peers/" + peer + "/unban", "");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).get("error").asText()).isEqualTo("not banned");

        r = post("/peers/" + peer + "/ban?for=soon", "");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("message").asText()).startsWith("for: ");
        r = post("/peers/" + peer + "/ban?for=0s", "");
        assertThat(r.statusCode()).isEqualTo(400);
        r = post("/peers/nope/ban", "");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(actions.calls).hasSize(4);
    }

    @Test
    void clearBackoffLoggedWithWhoAsked() throws Exception {
        start(actions);
        NodeId peer = AdminServerTest.id(6);
        HttpResponse<String> r = post("/peers/" + peer + "/clear-backoff", "");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("action").asText()).isEqualTo("clear-backoff");
        assertThat(json(r).get("result").asText()).isEqualTo("cleared");
        assertThat(json(r).get("target").asText()).isEqualTo(peer.toString());
        r = post("/peers/" + peer + "/clear-backoff", "");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("result").asText()).isEqualTo("nothing to clear");
        assertThat(actions.calls).containsExactly("clear-backoff " + peer, "clear-backoff " + peer);
        assertThat(logs.list).anySatisfy(e -> {
            assertThat(e.getLevel().toString()).isEqualTo("INFO");
            assertThat(e.getFormattedMessage())
                    .contains("clear-backoff " + peer)
                    .contains("asked by 127.0.0.1:");
        });

        r = post("/peers/zzz/clear-backoff", "");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("message").asText()).contains("invalid node id 'zzz'");
        r = send("GET", "/peers/" + peer + "/clear-backoff", AUTH, "");
        assertThat(r.statusCode()).isEqualTo(405);
        r = send("POST", "/peers/" + peer + "/clear-backoff", null, "");
        assertThat(r.statusCode()).as("the token").isEqualTo(401);
        assertThat(actions.calls).hasSize(2);

        server.stop(Duration.ofSeconds(5));
        start(null);
        r = post("/peers/" + peer + "/clear-backoff", "");
        assertThat(r.statusCode()).as("actions off").isEqualTo(403);
    }
}
