package io.peerlink.node.admin;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.peerlink.core.Connection;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerlinkException;
import io.peerlink.core.config.Defaults;
import io.peerlink.node.config.Durations;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The admin actions, {@code POST} only: {@code /peers/{id}/disconnect}, {@code /peers/{id}/ban} (for
 * {@code ?for=DURATION}, default the peer-exchange ban duration), {@code /peers/{id}/unban},
 * {@code /peers/{id}/clear-backoff}, {@code /dial} (the
 * address as the body or {@code ?address=host:port}) and {@code /trust/reload}. Each is logged at INFO with the remote address that asked.
 * Bad input answers 400, an action that is off 403, all with a JSON body.
 */
final class AdminActionRoutes {
    private static final Logger log = LoggerFactory.getLogger(AdminActionRoutes.class);
    /** A body longer than this is refused: an address is at most a few hundred bytes. */
    static final int MAX_BODY_BYTES = 1024;
    /** How long {@code POST /dial} waits for the peer before answering 202 (the dial goes on). */
    static final Duration DIAL_WAIT = Duration.ofSeconds(10);

    private final @Nullable AdminActions actions;

    AdminActionRoutes(@Nullable AdminActions actions) {
        this.actions = actions;
    }

    /** Whether {@code path} names an action (whatever the method). */
    static boolean isAction(String path) {
        return path.equals("/dial")
                || path.equals("/trust/reload")
                || (path.startsWith("/peers/")
                        && (path.endsWith("/disconnect")
                                || path.endsWith("/ban")
                                || path.endsWith("/unban")
                                || path.endsWith("/clear-backoff")));
    }

    Publisher<Void> handle(HttpServerRequest req, HttpServerResponse res, String path) {
        if (!req.method().equals(HttpMethod.POST)) {
            res.header(HttpHeaderNames.ALLOW, "POST");
            return AdminServer.json(
                    res,
                    HttpResponseStatus.METHOD_NOT_ALLOWED,
                    AdminJson.error("method not allowed", req.method().name() + " " + path + " (expected: POST)"));
        }
        AdminActions a = actions;
        if (a == null) {
            return AdminServer.json(
                    res,
                    HttpResponseStatus.FORBIDDEN,
                    AdminJson.error(
                            "forbidden",
                            "admin actions are off; set admin-actions = true (with an admin-token) to enable them"));
        }
        String who = remote(req);
        if (path.equals("/trust/reload")) {
            return reload(a, res, who);
        }
        if (path.equals("/dial")) {
            return body(req)
                    .flatMap(body -> Mono.from(dial(a, req, res, who, body)))
                    .onErrorResume(
                            BadRequest.class,
                            e -> Mono.from(AdminServer.json(
                                    res,
                                    HttpResponseStatus.BAD_REQUEST,
                                    AdminJson.error("bad request", String.valueOf(e.getMessage())))));
        }
        if (path.endsWith("/ban")) {
            return ban(a, req, res, who, path.substring("/peers/".length(), path.length() - "/ban".length()));
        }
        if (path.endsWith("/clear-backoff")) {
            return clearBackoff(
                    a, res, who, path.substring("/peers/".length(), path.length() - "/clear-backoff".length()));
        }
        if (path.endsWith("/unban")) {
            return unban(a, res, who, path.substring("/peers/".length(), path.length() - "/unban".length()));
        }
        return disconnect(a, res, who, path.substring("/peers/".length(), path.length() - "/disconnect".length()));
    }

    private static Publisher<Void> ban(
            AdminActions a, HttpServerRequest req, HttpServerResponse res, String who, String idText) {
        NodeId id;
        try {
            id = NodeId.parse(idText);
        } catch (IllegalArgumentException e) {
            return badRequest(res, "invalid node id '" + idText + "': " + e.getMessage());
        }
        List<String> forParam = new QueryStringDecoder(req.uri()).parameters().getOrDefault("for", List.of());
        Duration duration = Defaults.BAN_DURATION;
        if (!forParam.isEmpty()) {
            try {
                duration = Durations.parse(forParam.get(0).strip());
            } catch (IllegalArgumentException e) {
                return badRequest(res, "for: " + e.getMessage());
            }
            if (duration.isZero() || duration.isNegative()) {
                return badRequest(res, "for: " + forParam.get(0) + " (expected: > 0)");
            }
        }
        Duration d = duration;
        log.info("admin action: ban {} for {} (asked by {})", id, Durations.format(d), who);
        return a.ban(id, d, "banned by an operator through the admin endpoint (" + who + ")")
                .then(Mono.defer(() -> Mono.from(AdminServer.json(
                        res, HttpResponseStatus.OK, AdminJson.action("ban", "banned", id.toString())))));
    }

    private static Publisher<Void> unban(AdminActions a, HttpServerResponse res, String who, String idText) {
        NodeId id;
        try {
            id = NodeId.parse(idText);
        } catch (IllegalArgumentException e) {
            return badRequest(res, "invalid node id '" + idText + "': " + e.getMessage());
        }
        log.info("admin action: unban {} (asked by {})", id, who);
        return a.unban(id)
                .flatMap(was -> Mono.from(
                        was
                                ? AdminServer.json(
                                        res,
                                        HttpResponseStatus.OK,
                                        AdminJson.action("unban", "unbanned", id.toString()))
                                : AdminServer.json(
                                        res,
                                        HttpResponseStatus.NOT_FOUND,
                                        AdminJson.error("not banned", id + " is not banned"))));
    }

    private static Publisher<Void> clearBackoff(AdminActions a, HttpServerResponse res, String who, String idText) {
        NodeId id;
        try {
            id = NodeId.parse(idText);
        } catch (IllegalArgumentException e) {
            return badRequest(res, "invalid node id '" + idText + "': " + e.getMessage());
        }
        log.info("admin action: clear-backoff {} (asked by {})", id, who);
        return a.clearBackoff(id)
                .flatMap(n -> Mono.from(AdminServer.json(
                        res,
                        HttpResponseStatus.OK,
                        AdminJson.action("clear-backoff", n > 0 ? "cleared" : "nothing to clear", id.toString()))));
    }

    private static Publisher<Void> disconnect(AdminActions a, HttpServerResponse res, String who, String idText) {
        NodeId id;
        try {
            id = NodeId.parse(idText);
        } catch (IllegalArgumentException e) {
            return badRequest(res, "invalid node id '" + idText + "': " + e.getMessage());
        }
        log.info("admin action: disconnect {} (asked by {})", id, who);
        return a.disconnect(id, "disconnected by an operator through the admin endpoint (" + who + ")")
                .then(Mono.defer(() -> Mono.from(AdminServer.json(
                        res, HttpResponseStatus.OK, AdminJson.action("disconnect", "disconnected", id.toString())))))
                .onErrorResume(
                        PeerlinkException.class,
                        e -> Mono.from(
                                e.reason() == DisconnectReason.NOT_CONNECTED
                                        ? AdminServer.json(
                                                res,
                                                HttpResponseStatus.NOT_FOUND,
                                                AdminJson.error("not connected", "no link to " + id))
                                        : AdminServer.json(
                                                res,
                                                HttpResponseStatus.INTERNAL_SERVER_ERROR,
                                                AdminJson.error("disconnect failed", String.valueOf(e.getMessage())))));
    }

    private static Publisher<Void> dial(
            AdminActions a, HttpServerRequest req, HttpServerResponse res, String who, String body) {
        List<String> query = new QueryStringDecoder(req.uri()).parameters().getOrDefault("address", List.of());
        String text = !body.isBlank()
                ? body.strip()
                : query.isEmpty() ? "" : query.get(0).strip();
        if (text.isEmpty()) {
            return badRequest(res, "no address (expected: host:port as the body or as ?address=host:port)");
        }
        PeerAddress address;
        try {
            address = PeerAddress.parse(text);
        } catch (IllegalArgumentException e) {
            return badRequest(res, e.getMessage());
        }
        log.info("admin action: dial {} (asked by {})", address, who);
        // the dial runs to its end whatever the HTTP exchange does; the answer waits for it at most DIAL_WAIT
        Mono<Connection> dial = a.dial(address).cache();
        dial.subscribe(c -> {}, e -> log.debug("admin dial {} failed: {}", address, e.toString()));
        return dial.timeout(DIAL_WAIT)
                .flatMap(c -> Mono.from(AdminServer.json(
                        res,
                        HttpResponseStatus.OK,
                        AdminJson.action("dial", "connected", c.peer().toString()))))
                .onErrorResume(
                        TimeoutException.class,
                        e -> Mono.from(AdminServer.json(
                                res,
                                HttpResponseStatus.ACCEPTED,
                                AdminJson.action("dial", "dialing", address.toString()))))
                .onErrorResume(
                        e -> !(e instanceof TimeoutException),
                        e -> Mono.from(AdminServer.json(
                                res,
                                HttpResponseStatus.BAD_GATEWAY,
                                AdminJson.error(
                                        "dial failed",
                                        address + ": "
                                                + (e instanceof PeerlinkException p
                                                        ? p.reason().text() + ": " + p.detail()
                                                        : e.toString())))));
    }

    private static Publisher<Void> reload(AdminActions a, HttpServerResponse res, String who) {
        log.info("admin action: reload the trust file (asked by {})", who);
        return a.reloadTrust()
                .flatMap(r -> Mono.from(
                        r.refused() == null
                                ? AdminServer.json(res, HttpResponseStatus.OK, AdminJson.reload(r))
                                : AdminServer.json(res, HttpResponseStatus.CONFLICT, AdminJson.refused(r))))
                .onErrorResume(
                        UnsupportedOperationException.class,
                        e -> Mono.from(AdminServer.json(
                                res,
                                HttpResponseStatus.CONFLICT,
                                AdminJson.error("not a trust file", String.valueOf(e.getMessage())))));
    }

    private static Publisher<Void> badRequest(HttpServerResponse res, @Nullable String message) {
        return AdminServer.json(
                res, HttpResponseStatus.BAD_REQUEST, AdminJson.error("bad request", String.valueOf(message)));
    }

    /** The body as text, at most {@link #MAX_BODY_BYTES}; errors with {@link BadRequest} past that. */
    private static Mono<String> body(HttpServerRequest req) {
        String length = req.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null) {
            long n;
            try {
                n = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                return Mono.error(new BadRequest("invalid content-length '" + length + "'"));
            }
            if (n > MAX_BODY_BYTES) {
                return Mono.error(new BadRequest("body of " + n + " bytes (expected: at most " + MAX_BODY_BYTES + ")"));
            }
        }
        return req.receive()
                .asByteArray()
                .reduce(new ByteArrayOutputStream(), (out, bytes) -> {
                    if (out.size() + bytes.length > MAX_BODY_BYTES) {
                        throw new BadRequest("body too large (expected: at most " + MAX_BODY_BYTES + " bytes)");
                    }
                    out.write(bytes, 0, bytes.length);
                    return out;
                })
                .map(out -> out.toString(StandardCharsets.UTF_8));
    }

    private static String remote(HttpServerRequest req) {
        InetSocketAddress a = req.remoteAddress();
        return a == null ? "unknown" : a.getHostString() + ":" + a.getPort();
    }

    /** A request the endpoint cannot act on; answered 400. */
    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message, null, false, false);
        }
    }
}
