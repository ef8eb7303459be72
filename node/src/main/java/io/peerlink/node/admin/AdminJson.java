package io.peerlink.node.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peerlink.core.Connection;
import io.peerlink.core.PeerExplanation;
import io.peerlink.core.PeerStatus;
import io.peerlink.core.trust.FileTrustRegistry;
import io.peerlink.core.trust.TrustChange;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/** The JSON bodies of the admin endpoint. */
final class AdminJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AdminJson() {}

    /** {@code {"status": "up"|"down", "reason": ..., "id", "role", "listening", "peers", "seeds", "tls"}}. */
    static Health health(AdminSource source) {
        boolean listening = source.listening();
        int peers = source.peers().size();
        boolean seeds = source.hasSeeds();
        String reason = null;
        if (!listening) {
            reason = "not listening";
        } else if (seeds && peers == 0) {
            reason = "no peer connected yet (this node has seeds)";
        }
        ObjectNode o = MAPPER.createObjectNode();
        o.put("status", reason == null ? "up" : "down");
        if (reason != null) {
            o.put("reason", reason);
        }
        o.put("id", source.id().toString());
        o.put("role", source.role().text());
        o.put("listening", listening);
        o.put("peers", peers);
        o.put("seeds", seeds);
        o.put("tls", source.tlsProvider());
        return new Health(reason == null, write(o));
    }

    record Health(boolean up, String body) {}

    /** One object per peer, ordered by node id. */
    static String peers(List<PeerStatus> peers) {
        ArrayNode a = MAPPER.createArrayNode();
        peers.stream().sorted(Comparator.comparing(p -> p.connection().peer())).forEach(p -> {
            Connection c = p.connection();
            ObjectNode o = a.addObject();
            o.put("id", c.peer().toString());
            o.put("role", c.role().text());
            o.put("address", c.remoteAddress().toString());
            if (c.listenAddress() != null) {
                o.put("listenAddress", c.listenAddress().toString());
            } else {
                o.putNull("listenAddress");
            }
            o.put("direction", c.direction().text());
            o.put("connectedSince", c.establishedAt().toString());
            o.put("linkId", c.linkId());
            Duration rtt = p.rtt();
            if (rtt == null) {
                o.putNull("rttMillis");
            } else {
                o.put("rttMillis", Math.round(rtt.toNanos() / 1_000.0) / 1_000.0);
            }
        });
        return write(a);
    }

    /** {@code {"action": ..., "result": ..., "target": ...}}: an admin action that was carried out. */
    static String action(String action, String result, String target) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("action", action);
        o.put("result", result);
        o.put("target", target);
        return write(o);
    }

    /** {@code {"action": "trust-reload", "result": "reloaded"|"unchanged", "entries", "changes": [...]}}. */
    static String reload(FileTrustRegistry.Reload r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("action", "trust-reload");
        o.put("result", r.changes().isEmpty() ? "unchanged" : "reloaded");
        o.put("entries", r.entries());
        ArrayNode changes = o.putArray("changes");
        for (TrustChange c : r.changes()) {
            ObjectNode e = changes.addObject();
            e.put("id", c.id().toString());
            e.put("before", c.before() == null ? null : c.before().text());
            e.put("after", c.after() == null ? null : c.after().text());
        }
        return write(o);
    }

    /** A trust file that was refused: {@code {"error": "refused", "reason", "message", "entries"}}. */
    static String refused(FileTrustRegistry.Reload r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("error", "refused");
        o.put("reason", r.refused() == null ? "none" : r.refused().label());
        o.put(
                "message",
                "trust file not applied, the previous " + r.entries() + " entries stay in force: " + r.detail());
        o.put("entries", r.entries());
        return write(o);
    }

    /**
     * One peer explained: {@code {"id", "trusted", "role", "state", "why", "addresses": [{"address", "sources"}],
     * "connection": {...}|null, "lastError", "lastErrorAt", "nextAttemptAt"}}.
     */
    static String explain(PeerExplanation e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", e.id().toString());
        o.put("trusted", e.trusted());
        o.put("role", e.role() == null ? null : e.role().text());
        o.put("state", e.state().text());
        o.put("why", e.why());
        ArrayNode addresses = o.putArray("addresses");
        for (PeerExplanation.KnownAddress k : e.addresses()) {
            ObjectNode a = addresses.addObject();
            a.put("address", k.address().toString());
            ArrayNode sources = a.putArray("sources");
            k.sources().stream().sorted().forEach(s -> sources.add(s.text()));
        }
        Connection c = e.connection();
        if (c == null) {
            o.putNull("connection");
        } else {
            ObjectNode l = o.putObject("connection");
            l.put("address", c.remoteAddress().toString());
            l.put(
                    "listenAddress",
                    c.listenAddress() == null ? null : c.listenAddress().toString());
            l.put("direction", c.direction().text());
            l.put("connectedSince", c.establishedAt().toString());
        }
        o.put("lastError", e.lastError());
        o.put("lastErrorAt", e.lastErrorAt() == null ? null : e.lastErrorAt().toString());
        o.put(
                "nextAttemptAt",
                e.nextAttemptAt() == null ? null : e.nextAttemptAt().toString());
        return write(o);
    }

    /** {@code {"error": status text, "message": ...}}. */
    static String error(String error, String message) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("error", error);
        o.put("message", message);
        return write(o);
    }

    private static String write(Object node) {
        try {
            return MAPPER.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
