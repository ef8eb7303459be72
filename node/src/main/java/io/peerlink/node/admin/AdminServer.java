package io.peerlink.node.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.peerlink.core.PeerAddress;
import io.peerlink.node.metrics.NodeMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The admin HTTP endpoint: {@code GET /health}, {@code GET /peers} (JSON) and {@code GET /metrics} (Prometheus
 * text), with an optional bearer token. Other paths answer 404 and other methods 405, both with a JSON body.
 *
 * <pre>{@code
 * AdminServer admin = AdminServer.start(PeerAddress.parse("127.0.0.1:9100"), AdminSource.of(node),
 *         metrics.registry(), null).block();
 * System.out.println("admin on " + admin.address());
 * admin.stop(Duration.ofSeconds(2));
 * }</pre>
 */
public final class AdminServer {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final String JSON = "application/json";

    private final DisposableServer server;

    private AdminServer(DisposableServer server) {
        this.server = server;
    }

    /**
     * Binds the endpoint.
     *
     * @param token the bearer token every request must carry, or null for none
     * @return the running server; errors if the address cannot be bound
     */
    public static Mono<AdminServer> start(
            PeerAddress bind, AdminSource source, PrometheusMeterRegistry metrics, @Nullable String token) {
        return start(bind, source, metrics, token, AdminLimits.defaults());
    }

    /**
     * Binds the endpoint with explicit limits.
     *
     * @param token the bearer token every request must carry, or null for none
     * @param limits idle and request timeouts and the connection cap
     * @return the running server; errors if the address cannot be bound
     */
    public static Mono<AdminServer> start(
            PeerAddress bind,
            AdminSource source,
            PrometheusMeterRegistry metrics,
            @Nullable String token,
            AdminLimits limits) {
        return start(bind, source, metrics, token, limits, null);
    }

    /**
     * Binds the endpoint with explicit limits and, if {@code actions} is non-null, the admin actions ({@code POST
     * /peers/{id}/disconnect}, {@code /dial}, {@code /trust/reload}). Actions need a token.
     *
     * @param actions what the actions do, or null to answer them 403
     * @return the running server; errors if the address cannot be bound
     * @throws IllegalArgumentException if {@code actions} is given without a token
     */
    public static Mono<AdminServer> start(
            PeerAddress bind,
            AdminSource source,
            PrometheusMeterRegistry metrics,
            @Nullable String token,
            AdminLimits limits,
            @Nullable AdminActions actions) {
        if (actions != null && token == null) {
            throw new IllegalArgumentException("admin actions need a token");
        }
        AdminActionRoutes routes = new AdminActionRoutes(actions);
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(limits, "limits");
        byte[] tokenHash = token == null ? null : sha256(token);
        AdminConnectionGuard guard = new AdminConnectionGuard(limits, metrics);
        return HttpServer.create()
                .host(bind.host())
                .port(bind.port())
                .doOnChannelInit((observer, ch, remote) -> guard.install(ch))
                .handle((req, res) -> {
                    if (req instanceof Connection c) {
                        AdminConnectionGuard.requestArrived(c.channel());
                    }
                    return handle(req, res, source, metrics, tokenHash, routes);
                })
                .bind()
                .onErrorMap(e -> new io.peerlink.core.ConfigException(
                        "cannot serve admin HTTP on " + bind + ": " + rootMessage(e), e))
                .map(server -> {
                    AdminServer admin = new AdminServer(server);
                    log.info(
                            "admin HTTP of node {} on http://{}/ (health, peers, metrics{}){}",
                            source.id().shortString(),
                            admin.address(),
                            actions == null
                                    ? ""
                                    : "; actions on: disconnect, ban, unban, clear-backoff, dial, trust reload",
                            token == null ? "" : ", bearer token required");
                    return admin;
                });
    }

    /** The bound address (ephemeral port resolved). */
    public PeerAddress address() {
        return PeerAddress.of((java.net.InetSocketAddress) server.address());
    }

    /** The base URL, e.g. {@code http://127.0.0.1:9100}. */
    public String url() {
        return "http://" + address();
    }

    /** Closes the listener and open connections, waiting at most {@code timeout}. */
    public void stop(Duration timeout) {
        try {
            server.disposeNow(timeout);
        } catch (IllegalStateException e) {
            log.debug("admin server did not stop within {}", timeout);
        }
    }

    private static Publisher<Void> handle(
            HttpServerRequest req,
            HttpServerResponse res,
            AdminSource source,
            PrometheusMeterRegistry metrics,
            byte @Nullable [] tokenHash,
            AdminActionRoutes routes) {
        res.header(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (tokenHash != null && !authorized(req.requestHeaders().get(HttpHeaderNames.AUTHORIZATION), tokenHash)) {
            res.header(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"peerlink\"");
            return json(
                    res,
                    HttpResponseStatus.UNAUTHORIZED,
                    AdminJson.error("unauthorized", "missing or wrong 'Authorization: Bearer <token>' header"));
        }
        String path = req.fullPath();
        if (AdminActionRoutes.isAction(path)) {
            return routes.handle(req, res, path);
        }
        boolean onePeer = path.startsWith("/peers/") && path.indexOf('/', "/peers/".length()) < 0;
        if (!path.equals("/health") && !path.equals("/peers") && !path.equals("/metrics") && !onePeer) {
            return json(
                    res,
                    HttpResponseStatus.NOT_FOUND,
                    AdminJson.error(
                            "not found", "no resource at " + path + " (try /health, /peers, /peers/{id} or /metrics)"));
        }
        boolean head = req.method().equals(HttpMethod.HEAD);
        if (!req.method().equals(HttpMethod.GET) && !head) {
            res.header(HttpHeaderNames.ALLOW, "GET, HEAD");
            return json(
                    res,
                    HttpResponseStatus.METHOD_NOT_ALLOWED,
                    AdminJson.error("method not allowed", req.method().name() + " " + path + " (expected: GET)"));
        }
        if (onePeer) {
            return explain(res, source, path.substring("/peers/".length()));
        }
        switch (path) {
            case "/health": {
                AdminJson.Health h = AdminJson.health(source);
                return json(res, h.up() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, h.body());
            }
            case "/peers":
                return json(res, HttpResponseStatus.OK, AdminJson.peers(source.peers()));
            default:
                return send(res, HttpResponseStatus.OK, NodeMeterRegistry.CONTENT_TYPE, metrics.scrape());
        }
    }

    /** {@code GET /peers/{id}}: why a peer is or is not connected; 400 for a malformed id, 404 for an unknown one. */
    private static Publisher<Void> explain(HttpServerResponse res, AdminSource source, String idText) {
        io.peerlink.core.NodeId id;
        try {
            id = io.peerlink.core.NodeId.parse(idText);
        } catch (IllegalArgumentException e) {
            return json(
                    res,
                    HttpResponseStatus.BAD_REQUEST,
                    AdminJson.error("bad request", "invalid node id '" + idText + "': " + e.getMessage()));
        }
        return source.explain(id)
                .map(e -> json(res, HttpResponseStatus.OK, AdminJson.explain(e)))
                .orElseGet(() -> json(
                        res,
                        HttpResponseStatus.NOT_FOUND,
                        AdminJson.error(
                                "unknown peer",
                                id + " is not in the trust registry and this node knows nothing of it")));
    }

    /** The innermost message, e.g. "Address already in use" rather than "Failed to bind on [...]". */
    private static String rootMessage(Throwable e) {
        String message = e.getMessage();
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        return message == null ? e.toString() : message;
    }

    private static boolean authorized(@Nullable String header, byte[] tokenHash) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // hashing both sides first makes the comparison constant-time whatever the lengths
        return MessageDigest.isEqual(sha256(header.substring(7).strip()), tokenHash);
    }

    static Publisher<Void> json(HttpServerResponse res, HttpResponseStatus status, String body) {
        return send(res, status, JSON, body);
    }

    private static Publisher<Void> send(HttpServerResponse res, HttpResponseStatus status, String type, String body) {
        return res.status(status)
                .header(HttpHeaderNames.CONTENT_TYPE, type)
                .sendString(Mono.just(body), StandardCharsets.UTF_8);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
